//! Running the Simulation panel's simulation, implementing a suggested control in the
//! profile's tab, and the playback marks the canvas draws.

use std::collections::{BTreeSet, HashMap};

use medflow_core::Document;
use medflow_core::architecture::Profile;
use medflow_core::simulate::{Model, Outcome, Setting, Unit, score, suggest};

use super::EditorApp;
use crate::canvas::{Mark, Playback};
use crate::panels::simulation::{Choices, ProfileChoice, Scope, SimResult};

impl EditorApp {
    /// What the Simulation panel offers for the active tab.
    pub(super) fn simulation_choices<'a>(&self, tab_positions: &'a [(u64, usize)]) -> Choices<'a> {
        let tab = self.tabs.get(self.active);
        let flow = tab.and_then(|tab| tab.document().flow().map(|flow| flow.common.id.clone()));
        Choices {
            profile_tabs: self
                .tabs
                .iter()
                .filter(|tab| tab.is_profile())
                .filter_map(|tab| {
                    Some((tab.key, Profile::from_document(tab.document()).ok()?.name))
                })
                .collect(),
            library_profiles: self
                .library
                .profiles
                .iter()
                .map(|(_, profile)| profile.name.clone())
                .collect(),
            use_cases: self
                .library
                .use_cases
                .iter()
                .filter(|(_, case)| flow.as_ref().is_some_and(|flow| case.flows.contains(flow)))
                .map(|(_, case)| (case.id.clone(), case.name.clone()))
                .collect(),
            tab: tab.map_or((0, 0), |tab| (tab.key, tab.editor().content_revision())),
            tab_positions,
            conditions: tab
                .map(|tab| {
                    tab.document()
                        .objects
                        .iter()
                        .filter_map(|object| match object {
                            medflow_core::StixObject::AttackCondition(condition)
                                if medflow_core::safety::pivot_of(object).is_none() =>
                            {
                                Some((
                                    object.id().to_owned(),
                                    condition.description.clone().unwrap_or_default(),
                                ))
                            }
                            _ => None,
                        })
                        .collect()
                })
                .unwrap_or_default(),
            profile_tab: match &self.simulation.profile {
                Some(ProfileChoice::Tab(key)) => self
                    .tabs
                    .iter()
                    .position(|tab| tab.key == *key)
                    .and_then(|index| {
                        let document = self.tabs[index].document();
                        let root = document.objects.iter().find(|object| {
                            medflow_core::architecture::profile_entry(object).is_some()
                        })?;
                        let profile = Profile::from_document(document).ok()?;
                        Some((index, root.clone(), profile.assumptions))
                    }),
                _ => None,
            },
        }
    }

    /// The library's use cases, for the panels' filters.
    pub(super) fn use_case_filters(&self) -> Vec<crate::panels::raci::UseCaseFilter> {
        self.library
            .use_cases
            .iter()
            .map(|(_, case)| crate::panels::raci::UseCaseFilter {
                id: case.id.clone(),
                name: case.name.clone(),
                flows: case.flows.clone(),
            })
            .collect()
    }

    /// The flows a use case may name, as the user has them (open tabs first): id, name and
    /// document.
    pub(super) fn library_flow_list(&self) -> Vec<(String, String, &Document)> {
        let mut ids: Vec<String> = Vec::new();
        let mut list = Vec::new();
        let documents = self
            .tabs
            .iter()
            .map(|tab| (tab.name(), tab.document()))
            .chain(self.library.flows.iter().map(|(_, document)| {
                let name = document
                    .flow()
                    .and_then(|flow| flow.name.clone())
                    .unwrap_or_default();
                (name, document)
            }));
        for (name, document) in documents {
            if let Some(flow) = document.flow()
                && !ids.contains(&flow.common.id)
            {
                ids.push(flow.common.id.clone());
                list.push((flow.common.id.clone(), name, document));
            }
        }
        list
    }

    /// The flow `id` as the user has it: an open tab's document first, else the library's.
    fn flow_document(&self, id: &str) -> Option<&Document> {
        let has = |document: &&Document| document.flow().is_some_and(|flow| flow.common.id == id);
        self.tabs
            .iter()
            .map(crate::tab::Tab::document)
            .find(has)
            .or_else(|| {
                self.library
                    .flows
                    .iter()
                    .map(|(_, document)| document)
                    .find(has)
            })
    }

    /// Runs the simulation with the panel's choices, for the active tab.
    pub(super) fn run_simulation(&mut self) {
        match self.simulate_active() {
            Ok(result) => {
                self.simulation.wave = result.last_wave;
                self.simulation.focus = None;
                self.simulation.result = Some(result);
                self.simulation.problem = None;
            }
            Err(problem) => {
                self.simulation.result = None;
                self.simulation.problem = Some(problem);
            }
        }
    }

    /// The chosen profile, and its tab when it is an open one.
    fn chosen_profile(&self) -> Result<(Profile, Option<u64>), String> {
        Ok(match &self.simulation.profile {
            Some(ProfileChoice::Tab(key)) => {
                let profile_tab =
                    self.tabs
                        .iter()
                        .find(|tab| tab.key == *key)
                        .ok_or_else(|| {
                            "The profile's tab was closed: choose a profile again.".to_owned()
                        })?;
                let profile = Profile::from_document(profile_tab.document())
                    .map_err(|error| format!("The profile cannot be read: {error}"))?;
                (profile, Some(*key))
            }
            Some(ProfileChoice::Library(index)) => {
                let (_, profile) =
                    self.library.profiles.get(*index).ok_or_else(|| {
                        "That library profile is gone: choose another.".to_owned()
                    })?;
                (profile.clone(), None)
            }
            None => return Err("Choose the device's profile first.".to_owned()),
        })
    }

    fn simulate_active(&self) -> Result<SimResult, String> {
        let tab = self
            .tabs
            .get(self.active)
            .ok_or_else(|| "Open a flow to simulate it.".to_owned())?;
        let own = tab
            .document()
            .flow()
            .map(|flow| flow.common.id.clone())
            .ok_or_else(|| "This tab holds no attack flow to simulate.".to_owned())?;
        let (profile, profile_tab) = self.chosen_profile()?;
        let (unit, scope_name) = match &self.simulation.scope {
            Scope::Alone => (Unit::alone(tab.document()), "this flow alone".to_owned()),
            Scope::UseCase(id) => {
                let (_, case) = self
                    .library
                    .use_cases
                    .iter()
                    .find(|(_, case)| &case.id == id)
                    .ok_or_else(|| "That use case is no longer in the library.".to_owned())?;
                let flows = case
                    .flows
                    .iter()
                    .map(|flow| {
                        if *flow == own {
                            Ok(tab.document())
                        } else {
                            self.flow_document(flow).ok_or_else(|| {
                                format!("The use case names {flow}, which no open tab or library flow holds.")
                            })
                        }
                    })
                    .collect::<Result<Vec<_>, String>>()?;
                (
                    Unit {
                        name: case.name.clone(),
                        use_case: Some(case.id.clone()),
                        flows,
                        chained: true,
                    },
                    format!("use case \"{}\"", case.name),
                )
            }
        };
        let flow = unit
            .flows
            .iter()
            .position(|document| document.flow().is_some_and(|flow| flow.common.id == own))
            .unwrap_or_default();
        let model = Model::build_units(&[unit]);
        let setting = Setting::from_profile(&profile);
        let simulation = model.simulate(&setting);
        let last_wave = simulation
            .run
            .states
            .iter()
            .filter_map(|state| state.wave)
            .max()
            .unwrap_or_default();
        Ok(SimResult {
            tab_key: tab.key,
            revision: tab.editor().content_revision(),
            profile_name: profile.name.clone(),
            profile_tab,
            scope_name,
            score: score(&model, &simulation),
            suggestion: suggest(&model, &setting),
            model,
            setting,
            simulation,
            flow,
            last_wave,
        })
    }

    /// The edit marking `control` implemented in the profile of the tab at `profile_tab`,
    /// copying the control from the library's catalogue or from the flow that links it.
    pub(super) fn implement_suggested(
        &mut self,
        profile_tab: usize,
        control: &str,
    ) -> Option<(String, Vec<medflow_core::edit::Command>)> {
        let object = self
            .library
            .catalogue
            .as_ref()
            .and_then(|catalogue| catalogue.object(control))
            .or_else(|| {
                self.tabs
                    .iter()
                    .find_map(|tab| tab.document().object(control))
            })
            .or_else(|| {
                self.library
                    .flows
                    .iter()
                    .find_map(|(_, document)| document.object(control))
            })
            .cloned();
        let tab = self.tabs.get(profile_tab)?;
        let (Some(object), Ok(profile)) = (object, Profile::from_document(tab.document())) else {
            self.status = Some("The control or the profile cannot be found.".to_owned());
            return None;
        };
        let read = medflow_core::control::controls(&Document {
            bundle_id: String::new(),
            objects: vec![object.clone()],
        })
        .into_iter()
        .next()?;
        let commands =
            crate::panels::profile::implement_commands(tab.document(), &profile, &read, &object)?;
        self.status = Some(format!(
            "Implemented \"{}\" in the profile \"{}\" (undo there to take it back)",
            read.name, profile.name
        ));
        Some((format!("Implement {}", read.name), commands))
    }

    /// The playback marks of the active tab, when the panel shows a run for it.
    pub(super) fn playback(&self) -> Option<Playback> {
        let result = self.simulation.result.as_ref()?;
        let tab = self.tabs.get(self.active)?;
        if result.tab_key != tab.key {
            return None;
        }
        let wave = self.simulation.wave;
        let mut marks = HashMap::new();
        for (index, step) in result.model.steps.iter().enumerate() {
            if step.flow != result.flow {
                continue;
            }
            let state = &result.simulation.run.states[index];
            let mark = match state.wave {
                Some(reached) if reached <= wave => match state.outcome {
                    Outcome::Succeeded if state.detected => Mark::Detected,
                    Outcome::Blocked => Mark::Blocked,
                    Outcome::NotApplicable => Mark::NotApplicable,
                    Outcome::Unreached => Mark::Unreached,
                    _ => Mark::Reached,
                },
                _ => Mark::Unreached,
            };
            marks.insert(step.id.clone(), mark);
        }
        let path: BTreeSet<String> = self
            .simulation
            .focus
            .and_then(|index| result.simulation.impacts.get(index))
            .map(|impact| {
                impact
                    .path_steps
                    .iter()
                    .filter(|&&step| result.model.steps[step].flow == result.flow)
                    .map(|&step| result.model.steps[step].id.clone())
                    .collect()
            })
            .unwrap_or_default();
        Some(Playback { marks, path })
    }
}
