//! The catalog's indexes as flat arrays of entry positions: ids and STIX ids sorted for binary
//! search, and each relationship as compressed adjacency lists.
//!
//! The same code serves twice: [`super::catalog::Catalog::from_domains`] indexes a catalog read
//! at run time (a user's imported domain), and the crate's build script indexes the built-in
//! catalog at build time, so the program starts with the built-in catalog already indexed in
//! its read-only data (nothing parsed, allocated or hashed when a file is validated). This file
//! uses the standard library only, for the build script's sake.

use std::borrow::Cow;

/// What the indexes need of one entry, in catalog order.
#[derive(Debug, Clone, Copy)]
pub struct Item<'a> {
    /// The entry's domain, as a small number (equal numbers, same domain).
    pub domain: u8,
    /// The ATT&CK id.
    pub id: &'a str,
    /// The STIX id.
    pub stix_id: &'a str,
    /// A sub-technique's parent technique id.
    pub parent: Option<&'a str>,
}

/// One domain's relationships, by ATT&CK id: (source, target) pairs.
#[derive(Debug, Clone)]
pub struct Relationships<'a> {
    /// The domain (as in [`Item::domain`]).
    pub domain: u8,
    /// `mitigates`: (mitigation, technique).
    pub mitigates: Vec<(&'a str, &'a str)>,
    /// `detects`: (detection strategy or data component, technique).
    pub detects: Vec<(&'a str, &'a str)>,
}

/// Adjacency lists in compressed form: the positions linked from entry `p` are
/// `targets[starts[p]..starts[p + 1]]`, in the order the relationships were given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Adjacency {
    /// One more than the number of entries: where each entry's links start.
    pub starts: Vec<u32>,
    /// The linked positions.
    pub targets: Vec<u32>,
}

/// [`Adjacency`] as the catalog keeps it: borrowed from the program (the built-in catalog) or
/// owned (a catalog read at run time).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Links {
    /// As [`Adjacency::starts`].
    pub starts: Cow<'static, [u32]>,
    /// As [`Adjacency::targets`].
    pub targets: Cow<'static, [u32]>,
}

impl Links {
    /// Owns `adjacency`.
    #[must_use]
    pub fn owned(adjacency: Adjacency) -> Self {
        Self {
            starts: Cow::Owned(adjacency.starts),
            targets: Cow::Owned(adjacency.targets),
        }
    }

    /// The positions linked from `position`.
    #[must_use]
    pub fn of(&self, position: usize) -> &[u32] {
        match (self.starts.get(position), self.starts.get(position + 1)) {
            (Some(&start), Some(&end)) => self
                .targets
                .get(start as usize..end as usize)
                .unwrap_or_default(),
            _ => &[],
        }
    }
}

/// Every index of a catalog.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Indexes {
    /// Every position, sorted by id (equal ids in catalog order).
    pub by_id: Vec<u32>,
    /// For each distinct STIX id, its first position, sorted by STIX id.
    pub by_stix_id: Vec<u32>,
    /// Mitigation → techniques.
    pub mitigates: Adjacency,
    /// Technique → mitigations.
    pub mitigated_by: Adjacency,
    /// Detection → techniques.
    pub detects: Adjacency,
    /// Technique → detections.
    pub detected_by: Adjacency,
    /// Technique → sub-techniques.
    pub subtechniques: Adjacency,
    /// Per [`Relationships`] given: (`mitigates`, `detects`) relationships whose two ends exist.
    pub counts: Vec<(u8, usize, usize)>,
}

fn position(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// The first position in `by_id` whose entry has this id and domain.
#[must_use]
pub fn find(items: &[Item<'_>], by_id: &[u32], domain: u8, id: &str) -> Option<usize> {
    let first = by_id.partition_point(|&at| items[at as usize].id < id);
    by_id[first..]
        .iter()
        .map(|&at| at as usize)
        .take_while(|&at| items[at].id == id)
        .find(|&at| items[at].domain == domain)
}

fn adjacency(count: usize, pairs: &[(usize, usize)]) -> Adjacency {
    let mut starts = vec![0_u32; count + 1];
    for &(source, _) in pairs {
        starts[source + 1] += 1;
    }
    for index in 0..count {
        starts[index + 1] += starts[index];
    }
    let mut next = starts.clone();
    let mut targets = vec![0_u32; pairs.len()];
    for &(source, target) in pairs {
        targets[next[source] as usize] = position(target);
        next[source] += 1;
    }
    Adjacency { starts, targets }
}

/// Builds every index.
#[must_use]
pub fn build(items: &[Item<'_>], relationships: &[Relationships<'_>]) -> Indexes {
    let count = items.len();
    let mut by_id: Vec<u32> = (0..count).map(position).collect();
    by_id.sort_by(|&left, &right| items[left as usize].id.cmp(items[right as usize].id));
    let mut by_stix_id: Vec<u32> = (0..count).map(position).collect();
    by_stix_id.sort_by(|&left, &right| {
        items[left as usize]
            .stix_id
            .cmp(items[right as usize].stix_id)
    });
    by_stix_id.dedup_by(|later, earlier| {
        items[*later as usize].stix_id == items[*earlier as usize].stix_id
    });

    let mut mitigates = Vec::new();
    let mut detects = Vec::new();
    let mut counts = Vec::new();
    for group in relationships {
        let resolve = |pairs: &[(&str, &str)], into: &mut Vec<(usize, usize)>| {
            let before = into.len();
            into.extend(pairs.iter().filter_map(|&(source, target)| {
                Some((
                    find(items, &by_id, group.domain, source)?,
                    find(items, &by_id, group.domain, target)?,
                ))
            }));
            into.len() - before
        };
        let mitigating = resolve(&group.mitigates, &mut mitigates);
        let detecting = resolve(&group.detects, &mut detects);
        counts.push((group.domain, mitigating, detecting));
    }
    let reversed = |pairs: &[(usize, usize)]| -> Vec<(usize, usize)> {
        pairs
            .iter()
            .map(|&(source, target)| (target, source))
            .collect()
    };
    let children: Vec<(usize, usize)> = items
        .iter()
        .enumerate()
        .filter_map(|(at, item)| Some((find(items, &by_id, item.domain, item.parent?)?, at)))
        .collect();
    Indexes {
        mitigates: adjacency(count, &mitigates),
        mitigated_by: adjacency(count, &reversed(&mitigates)),
        detects: adjacency(count, &detects),
        detected_by: adjacency(count, &reversed(&detects)),
        subtechniques: adjacency(count, &children),
        by_id,
        by_stix_id,
        counts,
    }
}
