//! The fewest further controls that make every reachable impact unreachable, and per impact.
//!
//! Exact branch and bound over the simulation itself (an implicit hitting set): while a
//! target impact is still reachable, its best path is a set of actions that all succeed, so
//! any answer must implement a prevent control of one of them. The search branches on those
//! controls (excluding, in each branch, the ones earlier branches tried, so no set is visited
//! twice), bounded by the best answer so far and by a lower bound: paths that share no
//! candidate control each need a control of their own. A greedy answer seeds the bound. An
//! impact that stays reachable with every candidate control implemented cannot be blocked by
//! them; the actions on its path then lack a prevention control, and are named.

use std::collections::BTreeSet;

use super::{Model, Outcome, Run, Setting, path};

/// What closes one impact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImpactSuggestion {
    /// The impact's step in the model.
    pub step: usize,
    /// The `attack-flow` id.
    pub flow: String,
    /// The action with the impact.
    pub action_id: String,
    /// The fewest further controls that make it unreachable (empty when it cannot be
    /// blocked, see `lacking_prevention`).
    pub controls: Vec<String>,
    /// When no candidate control can block it: the actions of its path that no prevention
    /// control addresses.
    pub lacking_prevention: Vec<String>,
}

/// The suggestion for a setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// The fewest further controls that make every blockable reachable impact unreachable,
    /// sorted by id.
    pub controls: Vec<String>,
    /// One entry per impact reachable now, in step order.
    pub impacts: Vec<ImpactSuggestion>,
    /// Whether re-simulating with `controls` implemented leaves none of the blockable
    /// impacts reachable.
    pub verified: bool,
    /// Whether the searches finished (together they stop after [`NODE_LIMIT`] branches or
    /// [`WORK_LIMIT`] steps walked, keeping the best answers found so far).
    pub exact: bool,
    /// Branches explored.
    pub explored: usize,
}

/// The most branches one search explores.
pub const NODE_LIMIT: usize = 2_000_000;

/// The most work one suggestion does, in steps walked (each branch walks every step once),
/// over the overall search and the per-impact ones together: on a 10,000-step flow, 2,000
/// branches. Past it, the searches keep the greedy answers.
pub const WORK_LIMIT: usize = 20_000_000;

struct Search<'a> {
    model: &'a Model,
    setting: &'a Setting,
    candidates: Vec<bool>,
    targets: Vec<usize>,
    best: Option<Vec<usize>>,
    explored: usize,
    /// The branches this search may still explore.
    budget: usize,
    exact: bool,
}

impl Search<'_> {
    /// The targets still reachable in a run, each with the candidate controls (not
    /// forbidden) that address an action of its best path.
    fn open(&self, run: &Run, forbidden: &[bool]) -> Vec<(usize, Vec<usize>)> {
        let reachable: Vec<usize> = self
            .targets
            .iter()
            .copied()
            .filter(|&target| run.states[target].outcome == Outcome::Succeeded)
            .collect();
        if reachable.is_empty() {
            return Vec::new();
        }
        let paths = path::best_paths(self.model, run);
        reachable
            .into_iter()
            .map(|target| {
                let mut hitting: BTreeSet<usize> = BTreeSet::new();
                for step in paths.path(self.model, run, target) {
                    hitting.extend(
                        self.model.steps[step]
                            .prevent
                            .iter()
                            .copied()
                            .filter(|&control| self.candidates[control] && !forbidden[control]),
                    );
                }
                (target, hitting.into_iter().collect())
            })
            .collect()
    }

    fn run(&self, chosen: &[usize]) -> Run {
        let mut implemented = self.model.implemented(self.setting);
        for &control in chosen {
            implemented[control] = true;
        }
        self.model.run_with(self.setting, &implemented)
    }

    fn search(&mut self, chosen: &mut Vec<usize>, forbidden: &mut Vec<bool>) {
        if self.explored >= self.budget {
            self.exact = false;
            return;
        }
        self.explored += 1;
        let run = self.run(chosen);
        let open = self.open(&run, forbidden);
        if open.is_empty() {
            if self
                .best
                .as_ref()
                .is_none_or(|best| chosen.len() < best.len())
            {
                self.best = Some(chosen.clone());
            }
            return;
        }
        if open.iter().any(|(_, hitting)| hitting.is_empty()) {
            return;
        }
        let mut used: BTreeSet<usize> = BTreeSet::new();
        let mut lower = 0;
        for (_, hitting) in &open {
            if hitting.iter().all(|control| !used.contains(control)) {
                lower += 1;
                used.extend(hitting.iter().copied());
            }
        }
        if self
            .best
            .as_ref()
            .is_some_and(|best| chosen.len() + lower >= best.len())
        {
            return;
        }
        let (_, branch) = &open[0];
        let mut order: Vec<(usize, usize)> = branch
            .iter()
            .map(|&control| {
                let hits = open
                    .iter()
                    .filter(|(_, hitting)| hitting.contains(&control))
                    .count();
                (control, hits)
            })
            .collect();
        order.sort_by_key(|&(control, hits)| (std::cmp::Reverse(hits), control));
        let mut newly_forbidden = Vec::new();
        for (control, _) in order {
            chosen.push(control);
            self.search(chosen, forbidden);
            chosen.pop();
            forbidden[control] = true;
            newly_forbidden.push(control);
        }
        for control in newly_forbidden {
            forbidden[control] = false;
        }
    }

    /// A quick answer: the control hitting the most open paths, again and again.
    fn greedy(&self) -> Option<Vec<usize>> {
        let none = vec![false; self.model.controls.len()];
        let mut chosen = Vec::new();
        for _ in 0..=self.model.controls.len() {
            let run = self.run(&chosen);
            let open = self.open(&run, &none);
            if open.is_empty() {
                return Some(chosen);
            }
            let mut counts: std::collections::BTreeMap<usize, usize> =
                std::collections::BTreeMap::new();
            for (_, hitting) in &open {
                for &control in hitting {
                    *counts.entry(control).or_insert(0) += 1;
                }
            }
            let (&control, _) = counts
                .iter()
                .max_by_key(|&(&control, &hits)| (hits, std::cmp::Reverse(control)))?;
            chosen.push(control);
        }
        None
    }

    fn solve(&mut self) -> Option<Vec<usize>> {
        self.best = self.greedy();
        if self.best.is_some() {
            let mut forbidden = vec![false; self.model.controls.len()];
            self.search(&mut Vec::new(), &mut forbidden);
        }
        let mut best = self.best.clone()?;
        best.sort_unstable();
        Some(best)
    }
}

/// The fewest further controls for `setting`: over every impact reachable now, and per
/// impact. Candidates are the prevent controls the flows link to their actions that the
/// setting does not implement.
#[must_use]
pub fn suggest(model: &Model, setting: &Setting) -> Suggestion {
    let implemented = model.implemented(setting);
    let candidates: Vec<bool> = model
        .controls
        .iter()
        .enumerate()
        .map(|(index, _)| {
            !implemented[index] && model.steps.iter().any(|step| step.prevent.contains(&index))
        })
        .collect();
    let now = model.run_with(setting, &implemented);
    let reachable: Vec<usize> = model
        .steps
        .iter()
        .enumerate()
        .filter(|(index, step)| {
            step.impact.is_some() && now.states[*index].outcome == Outcome::Succeeded
        })
        .map(|(index, _)| index)
        .collect();
    let everything: Vec<bool> = implemented
        .iter()
        .zip(&candidates)
        .map(|(implemented, candidate)| *implemented || *candidate)
        .collect();
    let saturated = model.run_with(setting, &everything);
    let saturated_paths = path::best_paths(model, &saturated);
    let blockable: Vec<usize> = reachable
        .iter()
        .copied()
        .filter(|&target| saturated.states[target].outcome != Outcome::Succeeded)
        .collect();
    let mut explored = 0;
    let mut exact = true;
    let mut budget = (WORK_LIMIT / model.steps.len().max(1)).min(NODE_LIMIT);
    let mut solve = |targets: Vec<usize>| {
        let mut search = Search {
            model,
            setting,
            candidates: candidates.clone(),
            targets,
            best: None,
            explored: 0,
            budget,
            exact: true,
        };
        let answer = search.solve().unwrap_or_default();
        explored += search.explored;
        budget = budget.saturating_sub(search.explored);
        exact &= search.exact;
        answer
    };
    let overall = solve(blockable.clone());
    let impacts = reachable
        .iter()
        .map(|&target| {
            let step = &model.steps[target];
            let (controls, lacking) = if blockable.contains(&target) {
                (solve(vec![target]), Vec::new())
            } else {
                let lacking = saturated_paths
                    .path(model, &saturated, target)
                    .into_iter()
                    .filter(|&action| model.steps[action].prevent.is_empty())
                    .map(|action| model.steps[action].id.clone())
                    .collect();
                (Vec::new(), lacking)
            };
            ImpactSuggestion {
                step: target,
                flow: model.flows[step.flow].id.clone(),
                action_id: step.id.clone(),
                controls: controls
                    .into_iter()
                    .map(|control| model.controls[control].id.clone())
                    .collect(),
                lacking_prevention: lacking,
            }
        })
        .collect();
    let mut check = implemented.clone();
    for &control in &overall {
        check[control] = true;
    }
    let after = model.run_with(setting, &check);
    let verified = blockable
        .iter()
        .all(|&target| after.states[target].outcome != Outcome::Succeeded);
    Suggestion {
        controls: overall
            .into_iter()
            .map(|control| model.controls[control].id.clone())
            .collect(),
        impacts,
        verified,
        exact,
        explored,
    }
}
