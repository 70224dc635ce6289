//! Attack simulation: flows, or a use case's chained flows, walked against what a device has
//! (an architecture profile), with Attack Flow semantics. Pure and deterministic; the rules
//! and the score's formula are in `README.md` beside this file.
//!
//! [`Model::build`] reads the flows once (steps, branches, controls, bound components,
//! impacts, pivots); [`Model::run`] walks them for one [`Setting`]; [`Model::simulate`] adds
//! each impact's verdict and the attacker's best path. [`score`] turns a simulation into the
//! device score, [`suggest`] finds the fewest further controls that close every reachable
//! impact.

mod path;
mod score;
mod suggest;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

pub use score::{Deduction, Score, score, severity_weight};
pub use suggest::{ImpactSuggestion, Suggestion, suggest};

use crate::architecture::{Profile, asset_bindings};
use crate::control::{ControlKind, controls};
use crate::model::{Document, StixObject};
use crate::safety::{Impact, Pivot, PivotRole, impact_of, pivot_of};

/// What the device has: the components present, the controls implemented, the conditions
/// whose truth it fixes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Setting {
    /// The profile's name (empty without a profile).
    pub name: String,
    /// The keys of the components the device has; `None`: every component.
    pub present: Option<BTreeSet<String>>,
    /// The ids of the controls it implements.
    pub implemented: BTreeSet<String>,
    /// Conditions whose truth it fixes: condition id → holds.
    pub assumptions: BTreeMap<String, bool>,
}

impl Setting {
    /// The setting a profile describes.
    #[must_use]
    pub fn from_profile(profile: &Profile) -> Self {
        Self {
            name: profile.name.clone(),
            present: Some(
                profile
                    .present_keys()
                    .into_iter()
                    .map(str::to_owned)
                    .collect(),
            ),
            implemented: profile
                .controls
                .iter()
                .map(|control| control.control.clone())
                .collect(),
            assumptions: profile
                .assumptions
                .iter()
                .map(|assumption| (assumption.condition.clone(), assumption.holds))
                .collect(),
        }
    }

    /// Whether the device has the component `key`.
    #[must_use]
    pub fn has(&self, key: &str) -> bool {
        self.present
            .as_ref()
            .is_none_or(|present| present.contains(key))
    }
}

/// Which link leads from one step to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Branch {
    /// `effect_refs` of an action or operator.
    Effect,
    /// A condition's `on_true_refs`.
    OnTrue,
    /// A condition's `on_false_refs`.
    OnFalse,
}

/// The kind of a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    /// An `attack-action`.
    Action,
    /// An `attack-operator` AND.
    And,
    /// An `attack-operator` OR (or one without a valid operator).
    Or,
    /// An `attack-condition`.
    Condition,
}

/// One step of a flow, as the simulation reads it.
#[derive(Debug, Clone)]
pub struct Step {
    /// The object id.
    pub id: String,
    /// Its name (an action's name, else a condition's description), for messages.
    pub name: String,
    /// The flow it belongs to (index into [`Model::flows`]).
    pub flow: usize,
    /// What it is.
    pub kind: StepKind,
    /// The steps it leads to, with the link.
    pub next: Vec<(usize, Branch)>,
    /// The distinct steps leading to it.
    pub previous: Vec<usize>,
    /// Prevent controls addressing it (indices into [`Model::controls`]); actions only.
    pub prevent: Vec<usize>,
    /// Detect controls addressing it; actions only.
    pub detect: Vec<usize>,
    /// The keys of the components its assets are bound to; actions only.
    pub components: Vec<String>,
    /// Its patient-safety impact; actions only.
    pub impact: Option<Impact>,
    /// Its pivot; conditions only.
    pub pivot: Option<Pivot>,
}

/// One flow of a model.
#[derive(Debug, Clone)]
pub struct FlowInfo {
    /// The `attack-flow` id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its `start_refs` that are steps.
    pub starts: Vec<usize>,
    /// The unit it is walked in (index into [`Model::units`]).
    pub unit: usize,
    /// Whether its unit chains its flows (a use case).
    pub chained: bool,
}

/// What is walked together: one flow alone, or a use case's flows chained.
#[derive(Debug, Clone)]
pub struct Unit<'a> {
    /// The use case's name, or the flow's.
    pub name: String,
    /// The use case's id (its grouping), when it is one.
    pub use_case: Option<String>,
    /// The flows, in order.
    pub flows: Vec<&'a Document>,
    /// Whether the flows chain through their pivots.
    pub chained: bool,
}

impl<'a> Unit<'a> {
    /// One flow walked alone (its entry pivots' keys taken as held), named by the flow's name.
    #[must_use]
    pub fn alone(flow: &'a Document) -> Self {
        Self {
            name: flow
                .flow()
                .and_then(|attack_flow| attack_flow.name.clone())
                .unwrap_or_default(),
            use_case: None,
            flows: vec![flow],
            chained: false,
        }
    }
}

/// A unit of a model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitInfo {
    /// The use case's name, or the flow's.
    pub name: String,
    /// The use case's id, when it is one.
    pub use_case: Option<String>,
    /// Whether its flows chain.
    pub chained: bool,
}

/// A control the flows link to their actions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlInfo {
    /// The `course-of-action` id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Prevent, detect or respond (`None`: not stated).
    pub kind: Option<ControlKind>,
}

/// Flows read for simulation: their steps, branches and controls.
#[derive(Debug, Clone)]
pub struct Model {
    /// Every step of every flow.
    pub steps: Vec<Step>,
    /// The flows, in order.
    pub flows: Vec<FlowInfo>,
    /// The controls, sorted by id.
    pub controls: Vec<ControlInfo>,
    /// What is walked together. In a chained unit (a use case) an entry pivot holds when an
    /// earlier flow of the unit reached an exit pivot with its key; otherwise each flow runs
    /// alone, its entry keys taken as held.
    pub units: Vec<UnitInfo>,
    by_id: HashMap<(usize, String), usize>,
}

/// What became of a step in one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Never reached.
    Unreached,
    /// An action that was reached and succeeded.
    Succeeded,
    /// An action stopped by an implemented prevent control.
    Blocked,
    /// An action whose asset is bound to a component the device lacks.
    NotApplicable,
    /// An operator whose predecessors were satisfied.
    Fired,
    /// A condition that was reached (see [`StepState::branches`]).
    Reached,
}

impl Outcome {
    /// Whether the attack goes on from here.
    #[must_use]
    pub fn passes(self) -> bool {
        matches!(self, Self::Succeeded | Self::Fired | Self::Reached)
    }
}

/// One step's state after a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepState {
    /// The wave in which it was reached (0 for a flow's starts; a chained flow counts on
    /// from the last wave of the flow before it).
    pub wave: Option<u32>,
    /// What became of it.
    pub outcome: Outcome,
    /// Whether an implemented detect control sees it (a detection opportunity).
    pub detected: bool,
    /// For a reached condition: whether its true and its false branch were followed.
    pub branches: (bool, bool),
}

impl Default for StepState {
    fn default() -> Self {
        Self {
            wave: None,
            outcome: Outcome::Unreached,
            detected: false,
            branches: (false, false),
        }
    }
}

/// The raw result of a run: one state per step, the keys obtained.
#[derive(Debug, Clone)]
pub struct Run {
    /// One state per step of the model.
    pub states: Vec<StepState>,
    /// Pivot key → the exit pivots (step indices) that handed it on, in the order reached.
    pub keys: BTreeMap<String, Vec<usize>>,
    /// Keys of entry pivots taken as held because the flow ran alone.
    pub assumed_keys: BTreeSet<String>,
    /// Per control (index): whether it is implemented in this run.
    pub implemented: Vec<bool>,
}

fn step_name(object: &StixObject) -> String {
    match object {
        StixObject::AttackAction(action) => action.name.clone().unwrap_or_default(),
        StixObject::AttackCondition(condition) => condition.description.clone().unwrap_or_default(),
        StixObject::AttackOperator(operator) => operator
            .operator
            .map(|operator| operator.as_str().to_owned())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// Reads flows into a [`Model`], one at a time.
#[derive(Default)]
struct Builder {
    steps: Vec<Step>,
    by_id: HashMap<(usize, String), usize>,
    flows: Vec<FlowInfo>,
    controls: BTreeMap<String, ControlInfo>,
    addressed: Vec<(usize, String, String)>,
}

impl Builder {
    /// The steps of one flow, with the components their assets are bound to.
    fn steps(&mut self, flow: usize, document: &Document) {
        let bindings: HashMap<&str, &str> = asset_bindings(document)
            .into_iter()
            .filter_map(|(asset, key)| Some((asset, key?)))
            .collect();
        for object in &document.objects {
            let kind = match object {
                StixObject::AttackAction(_) => StepKind::Action,
                StixObject::AttackCondition(_) => StepKind::Condition,
                StixObject::AttackOperator(operator) => match operator.operator {
                    Some(crate::model::attack_flow::Operator::And) => StepKind::And,
                    _ => StepKind::Or,
                },
                _ => continue,
            };
            if self.by_id.contains_key(&(flow, object.id().to_owned())) {
                continue;
            }
            let mut components: Vec<String> = match object {
                StixObject::AttackAction(action) => action
                    .asset_refs
                    .iter()
                    .flatten()
                    .filter_map(|asset| bindings.get(asset.as_str()))
                    .map(|key| (*key).to_owned())
                    .collect(),
                _ => Vec::new(),
            };
            components.sort();
            components.dedup();
            self.by_id
                .insert((flow, object.id().to_owned()), self.steps.len());
            self.steps.push(Step {
                id: object.id().to_owned(),
                name: step_name(object),
                flow,
                kind,
                next: Vec::new(),
                previous: Vec::new(),
                prevent: Vec::new(),
                detect: Vec::new(),
                components,
                impact: impact_of(object),
                pivot: pivot_of(object),
            });
        }
        for control in controls(document) {
            self.controls
                .entry(control.id.clone())
                .or_insert(ControlInfo {
                    id: control.id.clone(),
                    name: control.name.clone(),
                    kind: control.kind,
                });
            for action in control.addresses {
                self.addressed.push((flow, control.id.clone(), action));
            }
        }
    }

    /// The flow's own entry: id, name, starts, unit.
    fn flow(&mut self, flow: usize, document: &Document, unit: usize, chained: bool) {
        let found = document.objects.iter().find_map(|object| match object {
            StixObject::AttackFlow(found) => Some((object.id(), found)),
            _ => None,
        });
        self.flows.push(FlowInfo {
            id: found.map(|(id, _)| id.to_owned()).unwrap_or_default(),
            name: found
                .and_then(|(_, found)| found.name.clone())
                .unwrap_or_default(),
            starts: found
                .and_then(|(_, found)| found.start_refs.as_ref())
                .into_iter()
                .flatten()
                .filter_map(|id| self.by_id.get(&(flow, id.clone())).copied())
                .collect(),
            unit,
            chained,
        });
    }

    /// The links between one flow's steps.
    fn links(&mut self, flow: usize, document: &Document) {
        for object in &document.objects {
            let Some(&from) = self.by_id.get(&(flow, object.id().to_owned())) else {
                continue;
            };
            let links: Vec<(&Vec<String>, Branch)> = match object {
                StixObject::AttackAction(action) => action
                    .effect_refs
                    .iter()
                    .map(|refs| (refs, Branch::Effect))
                    .collect(),
                StixObject::AttackOperator(operator) => operator
                    .effect_refs
                    .iter()
                    .map(|refs| (refs, Branch::Effect))
                    .collect(),
                StixObject::AttackCondition(condition) => condition
                    .on_true_refs
                    .iter()
                    .map(|refs| (refs, Branch::OnTrue))
                    .chain(
                        condition
                            .on_false_refs
                            .iter()
                            .map(|refs| (refs, Branch::OnFalse)),
                    )
                    .collect(),
                _ => Vec::new(),
            };
            for (refs, branch) in links {
                for target in refs {
                    if let Some(&to) = self.by_id.get(&(flow, target.clone())) {
                        if !self.steps[from].next.contains(&(to, branch)) {
                            self.steps[from].next.push((to, branch));
                        }
                        if !self.steps[to].previous.contains(&from) {
                            self.steps[to].previous.push(from);
                        }
                    }
                }
            }
        }
    }

    /// The model, with each action's prevent and detect controls.
    fn finish(mut self, units: Vec<UnitInfo>) -> Model {
        let controls: Vec<ControlInfo> = self.controls.into_values().collect();
        let control_index: HashMap<&str, usize> = controls
            .iter()
            .enumerate()
            .map(|(index, control)| (control.id.as_str(), index))
            .collect();
        for (flow, control, action) in self.addressed {
            let (Some(&step), Some(&index)) = (
                self.by_id.get(&(flow, action)),
                control_index.get(control.as_str()),
            ) else {
                continue;
            };
            let list = match controls[index].kind {
                Some(ControlKind::Prevent) => &mut self.steps[step].prevent,
                Some(ControlKind::Detect) => &mut self.steps[step].detect,
                _ => continue,
            };
            if !list.contains(&index) {
                list.push(index);
            }
        }
        for step in &mut self.steps {
            step.prevent.sort_unstable();
            step.detect.sort_unstable();
        }
        Model {
            steps: self.steps,
            flows: self.flows,
            controls,
            units,
            by_id: self.by_id,
        }
    }
}

impl Model {
    /// Reads `flows` (in order) as one unit. `chained`: they form a use case.
    #[must_use]
    pub fn build(flows: &[&Document], chained: bool) -> Self {
        Self::build_units(&[Unit {
            name: String::new(),
            use_case: None,
            flows: flows.to_vec(),
            chained,
        }])
    }

    /// Reads units (each flow alone, or use cases), in order.
    #[must_use]
    pub fn build_units(units: &[Unit<'_>]) -> Self {
        let mut builder = Builder::default();
        let mut flow = 0;
        for (index, unit) in units.iter().enumerate() {
            for document in &unit.flows {
                builder.steps(flow, document);
                builder.flow(flow, document, index, unit.chained);
                builder.links(flow, document);
                flow += 1;
            }
        }
        builder.finish(
            units
                .iter()
                .map(|unit| UnitInfo {
                    name: unit.name.clone(),
                    use_case: unit.use_case.clone(),
                    chained: unit.chained,
                })
                .collect(),
        )
    }

    /// The index of the step `id` of flow `flow`.
    #[must_use]
    pub fn step(&self, flow: usize, id: &str) -> Option<usize> {
        self.by_id.get(&(flow, id.to_owned())).copied()
    }

    /// The index of the control `id`.
    #[must_use]
    pub fn control(&self, id: &str) -> Option<usize> {
        self.controls
            .binary_search_by(|control| control.id.as_str().cmp(id))
            .ok()
    }

    /// Per control, whether `setting` implements it.
    #[must_use]
    pub fn implemented(&self, setting: &Setting) -> Vec<bool> {
        self.controls
            .iter()
            .map(|control| setting.implemented.contains(&control.id))
            .collect()
    }

    /// Walks the flows for `setting`, with `implemented` (per control) in place of the
    /// setting's own list.
    #[must_use]
    pub fn run_with(&self, setting: &Setting, implemented: &[bool]) -> Run {
        let mut states = vec![StepState::default(); self.steps.len()];
        let mut keys: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut assumed_keys = BTreeSet::new();
        let mut satisfied = vec![0_usize; self.steps.len()];
        let mut first_wave = 0_u32;
        let mut held: BTreeSet<String> = BTreeSet::new();
        let mut unit = usize::MAX;
        for info in &self.flows {
            if info.unit != unit || !info.chained {
                held.clear();
                first_wave = 0;
                unit = info.unit;
            }
            let held_before = held.clone();
            let mut queue: VecDeque<usize> = VecDeque::new();
            let mut last_wave = first_wave;
            for &start in &info.starts {
                if states[start].wave.is_none() {
                    states[start].wave = Some(first_wave);
                    queue.push_back(start);
                }
            }
            while let Some(index) = queue.pop_front() {
                let step = &self.steps[index];
                let wave = states[index].wave.unwrap_or(first_wave);
                last_wave = last_wave.max(wave);
                let state = &mut states[index];
                state.outcome = match step.kind {
                    StepKind::Action => {
                        state.detected = step.detect.iter().any(|&control| implemented[control]);
                        if step.components.iter().any(|key| !setting.has(key)) {
                            state.detected = false;
                            Outcome::NotApplicable
                        } else if step.prevent.iter().any(|&control| implemented[control]) {
                            Outcome::Blocked
                        } else {
                            Outcome::Succeeded
                        }
                    }
                    StepKind::And | StepKind::Or => Outcome::Fired,
                    StepKind::Condition => {
                        state.branches = match (setting.assumptions.get(&step.id), &step.pivot) {
                            (Some(&holds), _) => (holds, !holds),
                            (None, Some(pivot)) if pivot.role == PivotRole::Entry => {
                                let held = if info.chained {
                                    held_before.contains(&pivot.key)
                                } else {
                                    assumed_keys.insert(pivot.key.clone());
                                    true
                                };
                                (held, true)
                            }
                            _ => (true, true),
                        };
                        if let Some(pivot) = &step.pivot
                            && pivot.role == PivotRole::Exit
                        {
                            keys.entry(pivot.key.clone()).or_default().push(index);
                            held.insert(pivot.key.clone());
                        }
                        Outcome::Reached
                    }
                };
                if !state.outcome.passes() {
                    continue;
                }
                let branches = state.branches;
                let mut reached_and: Vec<usize> = Vec::new();
                for &(next, branch) in &step.next {
                    let taken = match branch {
                        Branch::Effect => true,
                        Branch::OnTrue => branches.0,
                        Branch::OnFalse => branches.1,
                    };
                    if !taken || states[next].wave.is_some() {
                        continue;
                    }
                    if self.steps[next].kind == StepKind::And {
                        if reached_and.contains(&next) {
                            continue;
                        }
                        reached_and.push(next);
                        satisfied[next] += 1;
                        if satisfied[next] < self.steps[next].previous.len() {
                            continue;
                        }
                    }
                    states[next].wave = Some(wave + 1);
                    queue.push_back(next);
                }
            }
            first_wave = last_wave + 1;
        }
        Run {
            states,
            keys,
            assumed_keys,
            implemented: implemented.to_vec(),
        }
    }

    /// Walks the flows for `setting`.
    #[must_use]
    pub fn run(&self, setting: &Setting) -> Run {
        self.run_with(setting, &self.implemented(setting))
    }

    /// Every step that may lead to `target`: its predecessors, theirs, and (in a chained
    /// model) the exit pivots of earlier flows handing on the keys of entry pivots on the way.
    #[must_use]
    pub fn ancestors(&self, target: usize) -> BTreeSet<usize> {
        let mut seen = BTreeSet::from([target]);
        let mut stack = vec![target];
        while let Some(index) = stack.pop() {
            let step = &self.steps[index];
            let mut before: Vec<usize> = step.previous.clone();
            if self.flows[step.flow].chained
                && let Some(pivot) = &step.pivot
                && pivot.role == PivotRole::Entry
            {
                before.extend(
                    self.steps
                        .iter()
                        .enumerate()
                        .filter_map(|(other, candidate)| {
                            (candidate.flow < step.flow
                                && self.flows[candidate.flow].unit == self.flows[step.flow].unit
                                && candidate.pivot.as_ref().is_some_and(|found| {
                                    found.role == PivotRole::Exit && found.key == pivot.key
                                }))
                            .then_some(other)
                        }),
                );
            }
            for previous in before {
                if seen.insert(previous) {
                    stack.push(previous);
                }
            }
        }
        seen
    }

    /// Walks the flows for `setting` and says, for each impact, whether it is reachable, by
    /// which best path, and what stops it.
    #[must_use]
    pub fn simulate(&self, setting: &Setting) -> Simulation {
        let run = self.run(setting);
        let impacts = self.impacts_of(&run);
        Simulation {
            profile: setting.name.clone(),
            impacts,
            run,
        }
    }

    /// The verdict on each impact for a run.
    #[must_use]
    pub fn impacts_of(&self, run: &Run) -> Vec<ImpactResult> {
        let costs = path::best_paths(self, run);
        self.steps
            .iter()
            .enumerate()
            .filter_map(|(index, step)| Some((index, step, step.impact.clone()?)))
            .map(|(index, step, impact)| {
                let reachable = run.states[index].outcome == Outcome::Succeeded;
                let path = if reachable {
                    costs.path(self, run, index)
                } else {
                    Vec::new()
                };
                let detections = path
                    .iter()
                    .filter(|&&step| run.states[step].detected)
                    .count();
                let (blocked_by, absent_components) = if reachable {
                    (Vec::new(), Vec::new())
                } else {
                    self.stoppers(run, index)
                };
                ImpactResult {
                    step: index,
                    unit: self.flows[step.flow].unit,
                    flow: self.flows[step.flow].id.clone(),
                    flow_name: self.flows[step.flow].name.clone(),
                    action_id: step.id.clone(),
                    action_name: step.name.clone(),
                    impact,
                    reachable,
                    path: path
                        .iter()
                        .map(|&step| self.steps[step].id.clone())
                        .collect(),
                    path_steps: path,
                    detections,
                    blocked_by,
                    absent_components,
                }
            })
            .collect()
    }

    /// What stops an unreachable impact: the implemented prevent controls of blocked steps
    /// that lead to it, and the absent components of steps that lead to it.
    fn stoppers(&self, run: &Run, target: usize) -> (Vec<String>, Vec<String>) {
        let mut controls = BTreeSet::new();
        let mut components = BTreeSet::new();
        for index in self.ancestors(target) {
            let step = &self.steps[index];
            match run.states[index].outcome {
                Outcome::Blocked => controls.extend(
                    step.prevent
                        .iter()
                        .filter(|&&control| run.implemented[control])
                        .map(|&control| self.controls[control].id.clone()),
                ),
                Outcome::NotApplicable => components.extend(step.components.iter().cloned()),
                _ => {}
            }
        }
        (
            controls.into_iter().collect(),
            components.into_iter().collect(),
        )
    }
}

/// One impact's verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct ImpactResult {
    /// The step's index in the model.
    pub step: usize,
    /// The unit it was walked in.
    pub unit: usize,
    /// The `attack-flow` id of its flow.
    pub flow: String,
    /// That flow's name.
    pub flow_name: String,
    /// The action's id.
    pub action_id: String,
    /// The action's name.
    pub action_name: String,
    /// The impact.
    pub impact: Impact,
    /// Whether the action can succeed.
    pub reachable: bool,
    /// The attacker's best path to it (fewest detection opportunities, then fewest steps):
    /// the actions, in the order they happen. Empty when unreachable.
    pub path: Vec<String>,
    /// The same path as step indices.
    pub path_steps: Vec<usize>,
    /// The detection opportunities on the path.
    pub detections: usize,
    /// When unreachable: the implemented prevent controls on blocked steps leading to it.
    pub blocked_by: Vec<String>,
    /// When unreachable: the absent components of steps leading to it.
    pub absent_components: Vec<String>,
}

impl ImpactResult {
    /// The verdict in a word or two: `REACHABLE`, `blocked`, `not applicable` or
    /// `not reached` (a branch closed by an assumption or a missing key).
    #[must_use]
    pub fn verdict(&self) -> &'static str {
        if self.reachable {
            "REACHABLE"
        } else if !self.blocked_by.is_empty() {
            "blocked"
        } else if !self.absent_components.is_empty() {
            "not applicable"
        } else {
            "not reached"
        }
    }

    /// The action's name, or its id when it has none.
    #[must_use]
    pub fn action_label(&self) -> &str {
        if self.action_name.is_empty() {
            &self.action_id
        } else {
            &self.action_name
        }
    }
}

/// A simulation's result.
#[derive(Debug, Clone)]
pub struct Simulation {
    /// The profile's name.
    pub profile: String,
    /// Each impact's verdict, in step order.
    pub impacts: Vec<ImpactResult>,
    /// The states of every step.
    pub run: Run,
}

impl Simulation {
    /// The impacts, most severe first (multi-patient first within a severity), then in
    /// step order.
    #[must_use]
    pub fn by_severity(&self) -> Vec<&ImpactResult> {
        let mut sorted: Vec<&ImpactResult> = self.impacts.iter().collect();
        sorted.sort_by_key(|result| {
            (
                std::cmp::Reverse(result.impact.severity),
                !result.impact.multi_patient,
                result.step,
            )
        });
        sorted
    }
}
