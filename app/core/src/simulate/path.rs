//! The attacker's best path to each step a run reached: fewest detection opportunities, then
//! fewest actions. Knuth's generalisation of Dijkstra's algorithm over the steps that passed
//! (an AND adds up the paths to all its predecessors, every other step takes the best path to
//! one of them), flow by flow, so that a chained flow's entry pivot can add the best path to
//! the exit pivot that handed its key on.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};

use super::{Branch, Model, Run, StepKind};
use crate::safety::PivotRole;

/// Detection opportunities, then actions.
type Cost = (u32, u32);

fn add(a: Cost, b: Cost) -> Cost {
    (a.0.saturating_add(b.0), a.1.saturating_add(b.1))
}

/// How a step was reached on its best path.
#[derive(Debug, Clone)]
enum Via {
    /// A start of its flow.
    Start,
    /// From one predecessor; through an entry pivot's true branch, also the exit pivot that
    /// handed the key on.
    One(usize, Option<usize>),
    /// An AND: from all its predecessors (each with the exit pivot of a key, if any).
    All(Vec<(usize, Option<usize>)>),
}

/// The best path to every step that passed.
pub(super) struct BestPaths {
    via: Vec<Option<Via>>,
}

impl BestPaths {
    /// The actions of the best path to `target`, in the order they happen.
    pub(super) fn path(&self, model: &Model, run: &Run, target: usize) -> Vec<usize> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![target];
        while let Some(index) = stack.pop() {
            if !seen.insert(index) {
                continue;
            }
            match &self.via[index] {
                Some(Via::One(previous, key)) => {
                    stack.push(*previous);
                    stack.extend(key);
                }
                Some(Via::All(previous)) => {
                    for (step, key) in previous {
                        stack.push(*step);
                        stack.extend(key);
                    }
                }
                Some(Via::Start) | None => {}
            }
        }
        let mut actions: Vec<usize> = seen
            .into_iter()
            .filter(|&index| model.steps[index].kind == StepKind::Action)
            .collect();
        actions.sort_by_key(|&index| (run.states[index].wave, index));
        actions
    }
}

/// The own cost of a step that passed.
fn own(model: &Model, run: &Run, index: usize) -> Cost {
    match model.steps[index].kind {
        StepKind::Action => (u32::from(run.states[index].detected), 1),
        _ => (0, 0),
    }
}

/// Whether the link from `from` along `branch` was followed in the run.
fn followed(run: &Run, from: usize, branch: Branch) -> bool {
    let state = &run.states[from];
    state.outcome.passes()
        && match branch {
            Branch::Effect => true,
            Branch::OnTrue => state.branches.0,
            Branch::OnFalse => state.branches.1,
        }
}

/// The cheapest exit pivot handing each key on, among the flows done so far.
type KeyBest = BTreeMap<String, (Cost, usize)>;

/// The extra cost, and the exit pivot, of following `from`'s `branch`: in a chained model,
/// an entry pivot's true branch needs the path to the exit pivot that handed its key on.
fn key_of(model: &Model, from: usize, branch: Branch, key_best: &KeyBest) -> Option<(Cost, usize)> {
    if !model.flows[model.steps[from].flow].chained || branch != Branch::OnTrue {
        return None;
    }
    let pivot = model.steps[from].pivot.as_ref()?;
    if pivot.role != PivotRole::Entry {
        return None;
    }
    key_best.get(&pivot.key).copied()
}

/// An AND's cost once all its predecessors are done: the sum of their paths.
fn and_total(
    model: &Model,
    run: &Run,
    next: usize,
    cost: &[Option<Cost>],
    key_best: &KeyBest,
) -> (Cost, Vec<(usize, Option<usize>)>) {
    let mut total = own(model, run, next);
    let mut from = Vec::new();
    for &previous in &model.steps[next].previous {
        let Some(previous_cost) = cost[previous] else {
            continue;
        };
        let branch = model.steps[previous]
            .next
            .iter()
            .find(|(to, branch)| *to == next && followed(run, previous, *branch))
            .map_or(Branch::Effect, |(_, branch)| *branch);
        let key = key_of(model, previous, branch, key_best);
        total = add(total, previous_cost);
        if let Some((key_cost, _)) = key {
            total = add(total, key_cost);
        }
        from.push((previous, key.map(|(_, exit)| exit)));
    }
    (total, from)
}

/// The best path to every step that passed.
pub(super) fn best_paths(model: &Model, run: &Run) -> BestPaths {
    let count = model.steps.len();
    let mut cost: Vec<Option<Cost>> = vec![None; count];
    let mut via: Vec<Option<Via>> = vec![None; count];
    // The cheapest exit pivot handing each key on, among the flows done so far.
    let mut key_best: KeyBest = BTreeMap::new();
    let mut by_flow: Vec<Vec<usize>> = vec![Vec::new(); model.flows.len()];
    for (index, step) in model.steps.iter().enumerate() {
        if run.states[index].outcome.passes() {
            by_flow[step.flow].push(index);
        }
    }
    for (flow, members) in by_flow.iter().enumerate() {
        if flow == 0 || model.flows[flow].unit != model.flows[flow - 1].unit {
            key_best.clear();
        }
        let mut heap: BinaryHeap<Reverse<(Cost, usize)>> = BinaryHeap::new();
        let mut tentative: Vec<Option<(Cost, Via)>> = vec![None; count];
        let mut done = vec![false; count];
        let mut and_ready: BTreeMap<usize, usize> = BTreeMap::new();
        for &start in &model.flows[flow].starts {
            if run.states[start].outcome.passes() {
                let value = own(model, run, start);
                tentative[start] = Some((value, Via::Start));
                heap.push(Reverse((value, start)));
            }
        }
        while let Some(Reverse((value, index))) = heap.pop() {
            if done[index]
                || tentative[index]
                    .as_ref()
                    .is_none_or(|(best, _)| *best != value)
            {
                continue;
            }
            done[index] = true;
            let (value, how) = tentative[index].take().unwrap_or(((0, 0), Via::Start));
            cost[index] = Some(value);
            via[index] = Some(how);
            let mut visited: Vec<usize> = Vec::new();
            for &(next, branch) in &model.steps[index].next {
                if done[next] || !followed(run, index, branch) || !run.states[next].outcome.passes()
                {
                    continue;
                }
                let key = key_of(model, index, branch, &key_best);
                let through = key.map_or(value, |(key_cost, _)| add(value, key_cost));
                let exit = key.map(|(_, exit)| exit);
                if model.steps[next].kind == StepKind::And {
                    if visited.contains(&next) {
                        continue;
                    }
                    visited.push(next);
                    let ready = and_ready.entry(next).or_insert(0);
                    *ready += 1;
                    if *ready < model.steps[next].previous.len() {
                        continue;
                    }
                    let (total, from) = and_total(model, run, next, &cost, &key_best);
                    tentative[next] = Some((total, Via::All(from)));
                    heap.push(Reverse((total, next)));
                } else {
                    let candidate = add(through, own(model, run, next));
                    if tentative[next]
                        .as_ref()
                        .is_none_or(|(best, _)| candidate < *best)
                    {
                        tentative[next] = Some((candidate, Via::One(index, exit)));
                        heap.push(Reverse((candidate, next)));
                    }
                }
            }
        }
        for &index in members {
            if let (Some(pivot), Some(value)) = (&model.steps[index].pivot, cost[index])
                && pivot.role == PivotRole::Exit
            {
                let entry = key_best.entry(pivot.key.clone()).or_insert((value, index));
                if (value, index) < *entry {
                    *entry = (value, index);
                }
            }
        }
    }
    BestPaths { via }
}
