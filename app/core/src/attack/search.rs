//! Ranked, typo-tolerant search over tactics, techniques, sub-techniques, mitigations and
//! detection strategies, by id prefix and by name words.
//!
//! Ranking, highest first:
//!
//! 1. the exact id (`t1078` finds T1078 first), then ids starting with the query (`T1078.`,
//!    `TA00`), shorter ids first;
//! 2. names whose words match every query word: a whole word scores more than a word's start,
//!    which scores more than a word within one or two typing mistakes (Damerau–Levenshtein,
//!    one mistake for words of 4 to 7 letters, two from 8); a name equal to the query, or
//!    starting with it, gets a bonus; shorter names rank above longer ones.
//!
//! Deprecated and revoked entries are found too, below every active one. Ties are broken by
//! kind, domain and id, so the order is always the same.

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
        Self { vocabulary, items }
    }
}

/// How well one query word matches one name word: 4 equal, 3 the word starts with it, 2 within
/// the allowed typing mistakes, 1 the word's start is within one mistake, 0 no match.
fn word_score(query_word: &str, word: &str) -> u8 {
    if query_word == word {
        return 4;
    }
    if word.starts_with(query_word) {
        return 3;
    }
    let query_length = query_word.chars().count();
    if query_length < 4 {
        return 0;
    }
    let allowed = if query_length >= 8 { 2 } else { 1 };
    let word_length = word.chars().count();
    if word_length.abs_diff(query_length) <= allowed
        && strsim::osa_distance(query_word, word) <= allowed
    {
        return 2;
    }
    if query_length >= 5 && word_length > query_length {
        let start: String = word.chars().take(query_length).collect();
        if strsim::osa_distance(query_word, &start) <= 1 {
            return 1;
        }
    }
    0
}

impl Catalog {
    /// Searches the catalog. See the module documentation for the ranking.
    #[must_use]
    pub fn search(&self, query: &Query<'_>) -> Vec<Hit<'_>> {
        let index = self.search_index();
        let lower = query.text.trim().to_lowercase();
        let query_words: Vec<&str> = words(&lower).collect();
        // For each query word, the score of every vocabulary word it matches.
        let word_scores: Vec<HashMap<u32, u8>> = query_words
            .iter()
            .map(|query_word| {
                index
                    .vocabulary
                    .iter()
                    .enumerate()
                    .filter_map(|(at, word)| {
                        let score = word_score(query_word, word);
                        (score > 0).then(|| (u32::try_from(at).unwrap_or(u32::MAX), score))
                    })
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
                        .filter_map(|word| scores.get(word))
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
            hits.push(Hit { entry, score });
        }
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
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
