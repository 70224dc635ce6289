//! Ranked, typo-tolerant search over tactics, techniques, sub-techniques, mitigations and
//! detection strategies, by id prefix and by name words.
//!
//! Ranking, highest first:
//!
//! 1. the exact id (`t1078` finds T1078 first), then ids starting with the query (`T1078.`,
//!    `TA00`), shorter ids first;
//! 2. names whose words match every query word: a whole word scores more than a word's start,
//!    which scores more than a word within one or two typing mistakes (optimal string alignment,
//!    one mistake for words of 4 to 7 letters, two from 8); a name equal to the query, or
//!    starting with it, gets a bonus; shorter names rank above longer ones.
//!
//! The techniques of a tactic found by its whole name follow it ("defense impairment" lists
//! TA0112, then its techniques), the sub-techniques of a technique found by its name follow it
//! (searching "valid accounts" lists T1078.001–.004 under T1078), and entries of the preferred
//! domain rank above equally
//! good matches of other domains. Deprecated and revoked entries are found too, below every
//! active one. Ties are broken by kind, domain and id, so the order is always the same.

use std::collections::HashMap;

use super::catalog::{Catalog, Domain, Entry, Kind};

/// A search request.
#[derive(Debug, Clone, Default)]
pub struct Query<'a> {
    /// What the user typed: an id, its start, or name words.
    pub text: &'a str,
    /// Only this domain.
    pub domain: Option<Domain>,
    /// Only techniques and sub-techniques of this tactic id (and the tactic itself).
    pub tactic: Option<&'a str>,
    /// Only these kinds (empty: every searchable kind).
    pub kinds: &'a [Kind],
    /// Leave out deprecated and revoked entries.
    pub active_only: bool,
    /// At most this many hits (0: no limit).
    pub limit: usize,
    /// Rank this domain's entries above equally good matches of other domains (an author of
    /// an enterprise flow wants Enterprise's "Spearphishing Attachment" before ICS's).
    pub prefer: Option<Domain>,
}

/// One search result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit<'a> {
    /// The entry found.
    pub entry: &'a Entry,
    /// Its score; higher is better.
    pub score: u32,
}

/// Precomputed words of every searchable entry.
#[derive(Debug, Default)]
pub(crate) struct SearchIndex {
    /// Distinct lower-case name words.
    vocabulary: Vec<String>,
    /// The same words as characters, for typo comparison.
    vocabulary_chars: Vec<Vec<char>>,
    /// Per searchable entry: its position in the catalog, lower-case id and name, and words.
    items: Vec<Item>,
}

#[derive(Debug)]
struct Item {
    position: usize,
    id: String,
    name: String,
    words: Vec<u32>,
}

/// Lower-case words: runs of letters and digits.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|character: char| !character.is_alphanumeric())
        .filter(|word| !word.is_empty())
}

impl SearchIndex {
    pub(crate) fn build(entries: &[Entry]) -> Self {
        let mut vocabulary: Vec<String> = Vec::new();
        let mut word_ids: HashMap<String, u32> = HashMap::new();
        let mut items = Vec::new();
        for (position, entry) in entries.iter().enumerate() {
            if entry.kind == Kind::DataComponent {
                continue;
            }
            let name = entry.name.to_lowercase();
            let words = words(&name)
                .map(|word| {
                    *word_ids.entry(word.to_owned()).or_insert_with(|| {
                        vocabulary.push(word.to_owned());
                        u32::try_from(vocabulary.len() - 1).unwrap_or(u32::MAX)
                    })
                })
                .collect();
            items.push(Item {
                position,
                id: entry.id.to_lowercase(),
                name,
                words,
            });
        }
        let vocabulary_chars = vocabulary
            .iter()
            .map(|word| word.chars().collect())
            .collect();
        Self {
            vocabulary,
            vocabulary_chars,
            items,
        }
    }
}

/// How well one query word matches one name word: 4 equal, 3 the word starts with it, 2 within
/// the allowed typing mistakes, 1 the word's start is within one mistake, 0 no match.
/// Both words are given as text and as characters (the index keeps both).
fn word_score(query_word: &str, query_chars: &[char], word: &str, word_chars: &[char]) -> u8 {
    if query_word == word {
        4
    } else if word.starts_with(query_word) {
        3
    } else {
        typo_score(query_chars, word_chars)
    }
}

/// The typo part of [`word_score`], on characters.
fn typo_score(query: &[char], word: &[char]) -> u8 {
    if query.len() < 4 {
        return 0;
    }
    let allowed = if query.len() >= 8 { 2 } else { 1 };
    if word.len().abs_diff(query.len()) <= allowed && within_distance(query, word, allowed) {
        return 2;
    }
    if query.len() >= 5
        && word.len() > query.len()
        && within_distance(query, &word[..query.len()], 1)
    {
        return 1;
    }
    0
}

/// The longest word compared for typos; longer ones only match exactly or by prefix.
const MAX_TYPO_WORD: usize = 40;

/// True when the optimal-string-alignment distance (insertions, deletions, substitutions and
/// swaps of neighbours) between `left` and `right` is at most `limit`. Allocation-free; stops
/// as soon as a whole row exceeds the limit.
fn within_distance(left: &[char], right: &[char], limit: usize) -> bool {
    if left.len() > MAX_TYPO_WORD || right.len() > MAX_TYPO_WORD {
        return false;
    }
    let mut before = [0usize; MAX_TYPO_WORD + 1];
    let mut previous = [0usize; MAX_TYPO_WORD + 1];
    let mut current = [0usize; MAX_TYPO_WORD + 1];
    for (at, cell) in previous.iter_mut().enumerate().take(right.len() + 1) {
        *cell = at;
    }
    for row in 1..=left.len() {
        current[0] = row;
        let mut row_minimum = current[0];
        for column in 1..=right.len() {
            let cost = usize::from(left[row - 1] != right[column - 1]);
            let mut best = (previous[column] + 1)
                .min(current[column - 1] + 1)
                .min(previous[column - 1] + cost);
            if row > 1
                && column > 1
                && left[row - 1] == right[column - 2]
                && left[row - 2] == right[column - 1]
            {
                best = best.min(before[column - 2] + 1);
            }
            current[column] = best;
            row_minimum = row_minimum.min(best);
        }
        if row_minimum > limit {
            return false;
        }
        before = previous;
        previous = current;
    }
    previous[right.len()] <= limit
}

impl Catalog {
    /// Searches the catalog. See the module documentation for the ranking.
    #[must_use]
    pub fn search(&self, query: &Query<'_>) -> Vec<Hit<'_>> {
        let index = self.search_index();
        let lower = query.text.trim().to_lowercase();
        let query_words: Vec<&str> = words(&lower).collect();
        // For each query word, the score of every vocabulary word (dense, by word number).
        let word_scores: Vec<Vec<u8>> = query_words
            .iter()
            .map(|query_word| {
                let query_chars: Vec<char> = query_word.chars().collect();
                index
                    .vocabulary
                    .iter()
                    .zip(&index.vocabulary_chars)
                    .map(|(word, chars)| word_score(query_word, &query_chars, word, chars))
                    .collect()
            })
            .collect();
        let id_like = lower.len() >= 2 && lower.bytes().any(|byte| byte.is_ascii_digit());
        let tactic = query.tactic;

        let mut hits: Vec<Hit<'_>> = Vec::new();
        for item in &index.items {
            let entry = &self.entries()[item.position];
            if query.domain.is_some_and(|domain| entry.domain != domain)
                || (!query.kinds.is_empty() && !query.kinds.contains(&entry.kind))
                || (query.active_only && !entry.is_active())
                || tactic.is_some_and(|tactic| {
                    entry.id != tactic && !entry.tactics.iter().any(|own| own == tactic)
                })
            {
                continue;
            }
            let mut score = 0u32;
            if lower.is_empty() {
                score = 1;
            } else if item.id == lower {
                score = 1000;
            } else if id_like && item.id.starts_with(&lower) {
                let extra = u32::try_from(item.id.len() - lower.len()).unwrap_or(50);
                score = 900 - extra.min(50);
            }
            if !query_words.is_empty() {
                let mut total = 0u32;
                let mut all_matched = true;
                for scores in &word_scores {
                    let best = item
                        .words
                        .iter()
                        .filter_map(|&word| scores.get(word as usize))
                        .max()
                        .copied()
                        .unwrap_or(0);
                    if best == 0 {
                        all_matched = false;
                        break;
                    }
                    total += u32::from(best);
                }
                if all_matched {
                    let mut name_score = 400 + total * 20;
                    if item.name == lower {
                        name_score += 100;
                    } else if item.name.starts_with(&lower) {
                        name_score += 40;
                    }
                    let length = u32::try_from(item.words.len()).unwrap_or(30).min(30);
                    name_score -= length;
                    score = score.max(name_score);
                }
            }
            if score == 0 {
                continue;
            }
            if !entry.is_active() {
                score = score.saturating_sub(390).max(1);
            }
            if query.prefer == Some(entry.domain) && score > 1 {
                score += PREFERRED_DOMAIN_BONUS;
            }
            hits.push(Hit { entry, score });
        }
        self.add_tactic_members(query, &lower, &mut hits);
        self.add_subtechniques(query, &mut hits);
        hits.sort_by(|left, right| {
            right.score.cmp(&left.score).then_with(|| {
                (left.entry.kind, left.entry.domain, &left.entry.id).cmp(&(
                    right.entry.kind,
                    right.entry.domain,
                    &right.entry.id,
                ))
            })
        });
        if query.limit > 0 {
            hits.truncate(query.limit);
        }
        hits
    }

    /// Adds the techniques of a tactic found by its whole name ("defense impairment" lists
    /// TA0112, then its techniques), scored just under the tactic, when they are not found
    /// themselves.
    fn add_tactic_members<'c>(&'c self, query: &Query<'_>, lower: &str, hits: &mut Vec<Hit<'c>>) {
        if !query.kinds.is_empty() && !query.kinds.contains(&Kind::Technique) {
            return;
        }
        let tactics: Vec<(&Entry, u32)> = hits
            .iter()
            .filter(|hit| hit.entry.kind == Kind::Tactic && hit.entry.name.to_lowercase() == lower)
            .map(|hit| (hit.entry, hit.score))
            .collect();
        if tactics.is_empty() {
            return;
        }
        let found: std::collections::HashSet<(Domain, &str)> = hits
            .iter()
            .map(|hit| (hit.entry.domain, &*hit.entry.id))
            .collect();
        for (tactic, score) in tactics {
            for entry in self.entries() {
                let member = entry.kind == Kind::Technique
                    && entry.domain == tactic.domain
                    && entry.is_active()
                    && entry.tactics.contains(&tactic.id)
                    && !found.contains(&(entry.domain, &*entry.id));
                if member {
                    hits.push(Hit {
                        entry,
                        score: score.saturating_sub(2).max(1),
                    });
                }
            }
        }
    }

    /// Adds the sub-techniques of each technique found by name that are not found
    /// themselves, scored just under their technique, so they are listed after it.
    fn add_subtechniques<'c>(&'c self, query: &Query<'_>, hits: &mut Vec<Hit<'c>>) {
        if query.text.trim().is_empty()
            || (!query.kinds.is_empty() && !query.kinds.contains(&Kind::Subtechnique))
        {
            return;
        }
        let found: std::collections::HashSet<(Domain, &str)> = hits
            .iter()
            .map(|hit| (hit.entry.domain, &*hit.entry.id))
            .collect();
        let mut extra = Vec::new();
        for hit in hits.iter() {
            if hit.entry.kind != Kind::Technique {
                continue;
            }
            for sub in self.subtechniques_of(hit.entry) {
                let wanted = !found.contains(&(sub.domain, &*sub.id))
                    && (!query.active_only || sub.is_active())
                    && query
                        .tactic
                        .is_none_or(|tactic| sub.tactics.iter().any(|own| own == tactic));
                if wanted {
                    let score = if sub.is_active() {
                        hit.score.saturating_sub(1).max(1)
                    } else {
                        1
                    };
                    extra.push(Hit { entry: sub, score });
                }
            }
        }
        hits.extend(extra);
    }
}

/// What an entry of the preferred domain gains over an equal match of another domain: more
/// than the length and kind differences between near-identical names, less than a better
/// word match.
const PREFERRED_DOMAIN_BONUS: u32 = 6;

#[cfg(test)]
mod tests {
    use super::*;

    fn word_score(query_word: &str, word: &str) -> u8 {
        let query_chars: Vec<char> = query_word.chars().collect();
        let word_chars: Vec<char> = word.chars().collect();
        super::word_score(query_word, &query_chars, word, &word_chars)
    }

    #[test]
    fn word_scores() {
        assert_eq!(word_score("valid", "valid"), 4);
        assert_eq!(word_score("val", "valid"), 3);
        assert_eq!(word_score("phising", "phishing"), 2);
        assert_eq!(word_score("credentails", "credentials"), 2);
        assert_eq!(word_score("credentails", "credential"), 2);
        assert_eq!(word_score("phisj", "phishing"), 1);
        assert_eq!(word_score("abc", "abd"), 0);
        assert_eq!(word_score("drive", "valid"), 0);
        assert_eq!(word_score("acounts", "accounts"), 2);
        assert_eq!(
            word_score("acconuts", "accounts"),
            2,
            "a swap of neighbours is one mistake"
        );
        assert_eq!(word_score("ädmin", "admin"), 2, "characters, not bytes");
    }

    #[test]
    fn bounded_distance_agrees_with_strsim() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "acb",
            "kitten",
            "sitting",
            "phishing",
            "phising",
            "credentials",
            "credentails",
            "exfiltration",
            "exfiltraton",
            "ägypten",
            "agypten",
        ];
        for left in words {
            for right in words {
                let expected = strsim::osa_distance(left, right);
                let left_chars: Vec<char> = left.chars().collect();
                let right_chars: Vec<char> = right.chars().collect();
                for limit in 0..4 {
                    assert_eq!(
                        within_distance(&left_chars, &right_chars, limit),
                        expected <= limit,
                        "{left:?} {right:?} limit {limit}"
                    );
                }
            }
        }
    }
}
