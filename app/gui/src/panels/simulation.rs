//! The Simulation panel: the active flow (alone, or in a use case of the library) walked
//! against a device's architecture profile. It shows the score with each deduction, the
//! impacts by severity with their paths, the fewest further controls (one click implements
//! one in the profile, undoably), and plays the attack back on the canvas wave by wave.

use eframe::egui::{self, Color32, RichText};
use medflow_core::simulate::{Model, Outcome, Score, Setting, Simulation, Suggestion};

use crate::actions::Action;
use crate::theme;

/// Where the device's profile comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProfileChoice {
    /// An open profile tab (its key).
    Tab(u64),
    /// A profile of the library (its position in the library's list).
    Library(usize),
}

/// What is walked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Scope {
    /// The active flow alone, its entry pivots' keys taken as held.
    #[default]
    Alone,
    /// A use case of the library (its grouping id), its flows chained; the active flow's
    /// copy is the tab's.
    UseCase(String),
}

/// A simulation that ran.
#[derive(Debug)]
pub struct SimResult {
    /// The tab it was run for.
    pub tab_key: u64,
    /// That tab's content revision then.
    pub revision: u64,
    /// The profile's name and, when it is an open tab, its key.
    pub profile_name: String,
    /// The profile's tab, when it is open (suggestions are implemented there).
    pub profile_tab: Option<u64>,
    /// What was walked, in words.
    pub scope_name: String,
    /// The flows read.
    pub model: Model,
    /// The device.
    pub setting: Setting,
    /// The verdicts.
    pub simulation: Simulation,
    /// The score.
    pub score: Score,
    /// The fewest further controls.
    pub suggestion: Suggestion,
    /// The tab's flow among the model's flows.
    pub flow: usize,
    /// The last wave of the walk (playback's end).
    pub last_wave: u32,
}

/// The panel's state.
#[derive(Debug, Default)]
pub struct SimulationView {
    /// The chosen profile.
    pub profile: Option<ProfileChoice>,
    /// The chosen scope.
    pub scope: Scope,
    /// The last run.
    pub result: Option<SimResult>,
    /// The playback's wave: steps reached in a later wave are not yet coloured.
    pub wave: u32,
    /// The impact whose path is highlighted (index into the simulation's impacts).
    pub focus: Option<usize>,
    /// Why the last run could not be done.
    pub problem: Option<String>,
}

/// What the panel offers to choose from.
pub struct Choices<'a> {
    /// Open profile tabs: key and name.
    pub profile_tabs: Vec<(u64, String)>,
    /// The library's profiles, by name.
    pub library_profiles: Vec<String>,
    /// The library's use cases that hold the active flow: id and name.
    pub use_cases: Vec<(String, String)>,
    /// The active tab's key and content revision.
    pub tab: (u64, u64),
    /// The active tab's position, to implement a control through an edit of the profile tab.
    pub tab_positions: &'a [(u64, usize)],
    /// The active flow's conditions that are not pivots: id and description.
    pub conditions: Vec<(String, String)>,
    /// The chosen profile when it is an open tab: its position, its grouping and its
    /// assumptions (which the panel edits).
    pub profile_tab: Option<(
        usize,
        medflow_core::StixObject,
        Vec<medflow_core::architecture::Assumption>,
    )>,
}

/// The words and colour of an outcome in the legend and on the canvas.
#[must_use]
pub fn outcome_words(outcome: Outcome, detected: bool) -> (&'static str, Color32) {
    match outcome {
        Outcome::Succeeded if detected => ("reached, detected", theme::SIM_DETECTED),
        Outcome::Succeeded | Outcome::Fired | Outcome::Reached => ("reached", theme::SIM_REACHED),
        Outcome::Blocked => ("blocked", theme::SIM_BLOCKED),
        Outcome::NotApplicable => ("not applicable", theme::SIM_NOT_APPLICABLE),
        Outcome::Unreached => ("not reached", theme::SIM_UNREACHED),
    }
}

/// A small square of `colour`.
fn swatch(ui: &mut egui::Ui, colour: Color32) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
    ui.painter().rect_filled(rect, 2.0, colour);
}

/// The legend of the canvas colours.
pub fn legend_ui(ui: &mut egui::Ui) {
    ui.horizontal_wrapped(|ui| {
        for (outcome, detected) in [
            (Outcome::Succeeded, false),
            (Outcome::Succeeded, true),
            (Outcome::Blocked, false),
            (Outcome::NotApplicable, false),
            (Outcome::Unreached, false),
        ] {
            let (words, colour) = outcome_words(outcome, detected);
            swatch(ui, colour);
            ui.label(RichText::new(words).small());
        }
        swatch(ui, theme::SIM_PATH);
        ui.label(RichText::new("path of the chosen impact").small());
    });
}

/// The profile's assumptions about the active flow's conditions: unknown (both branches
/// open), holds or does not hold. Each change is an edit of the profile's tab, then a run.
fn assumptions_ui(ui: &mut egui::Ui, choices: &Choices<'_>, actions: &mut Vec<Action>) {
    if choices.conditions.is_empty() {
        return;
    }
    let header = match &choices.profile_tab {
        Some((_, _, current)) => format!("Assumptions of the profile ({} fixed)", current.len()),
        None => "Assumptions of the profile".to_owned(),
    };
    egui::CollapsingHeader::new(header)
        .id_salt("simulation_assumptions")
        .show(ui, |ui| {
            let Some((tab, root, current)) = &choices.profile_tab else {
                ui.label(
                    RichText::new("Choose a profile open in a tab to fix what its device makes true or false.")
                        .weak(),
                );
                return;
            };
            for (id, description) in &choices.conditions {
                let now = current
                    .iter()
                    .find(|assumption| &assumption.condition == id)
                    .map(|assumption| assumption.holds);
                ui.horizontal(|ui| {
                    let words = |value: Option<bool>| match value {
                        None => "unknown: both branches",
                        Some(true) => "holds",
                        Some(false) => "does not hold",
                    };
                    egui::ComboBox::from_id_salt(("assumption", id))
                        .selected_text(words(now))
                        .show_ui(ui, |ui| {
                            for value in [None, Some(true), Some(false)] {
                                if ui.selectable_label(now == value, words(value)).clicked() && now != value {
                                    let mut list: Vec<medflow_core::architecture::Assumption> = current
                                        .iter()
                                        .filter(|assumption| &assumption.condition != id)
                                        .cloned()
                                        .collect();
                                    if let Some(holds) = value {
                                        list.push(medflow_core::architecture::Assumption {
                                            condition: id.clone(),
                                            holds,
                                        });
                                    }
                                    actions.push(Action::EditTab {
                                        tab: *tab,
                                        label: "Set an assumption".to_owned(),
                                        commands: vec![medflow_core::edit::Command::ReplaceObject {
                                            object: medflow_core::architecture::with_assumptions(root, &list),
                                        }],
                                    });
                                    actions.push(Action::RunSimulation);
                                }
                            }
                        });
                    ui.add(egui::Label::new(description.as_str()).truncate());
                });
            }
        });
}

/// The profile drop-down: open profile tabs, then the library's.
fn profile_choice_ui(
    ui: &mut egui::Ui,
    view: &mut SimulationView,
    choices: &Choices<'_>,
    actions: &mut Vec<Action>,
) {
    let label_device_profile = ui.label("Device profile");
    let shown = match &view.profile {
        Some(ProfileChoice::Tab(key)) => choices
            .profile_tabs
            .iter()
            .find(|(tab, _)| tab == key)
            .map_or("(closed)".to_owned(), |(_, name)| {
                format!("{name} (open tab)")
            }),
        Some(ProfileChoice::Library(index)) => choices
            .library_profiles
            .get(*index)
            .map_or("(gone)".to_owned(), |name| format!("{name} (library)")),
        None => "choose…".to_owned(),
    };
    let combo = egui::ComboBox::from_id_salt("simulation_profile")
        .selected_text(shown)
        .width(220.0)
        .show_ui(ui, |ui| {
            for (key, name) in &choices.profile_tabs {
                let choice = ProfileChoice::Tab(*key);
                if ui
                    .selectable_label(
                        view.profile.as_ref() == Some(&choice),
                        format!("{name} (open tab)"),
                    )
                    .clicked()
                {
                    view.profile = Some(choice);
                }
            }
            for (index, name) in choices.library_profiles.iter().enumerate() {
                let choice = ProfileChoice::Library(index);
                if ui
                    .selectable_label(
                        view.profile.as_ref() == Some(&choice),
                        format!("{name} (library)"),
                    )
                    .clicked()
                {
                    view.profile = Some(choice);
                }
            }
            ui.separator();
            if ui.selectable_label(false, "Open a profile file…").clicked() {
                actions.push(Action::Menu(crate::actions::MenuCommand::Open));
            }
        });
    crate::panels::labelled(&combo.response, &label_device_profile, "Device profile");
}

/// Draws the panel and pushes what the user asked for.
pub fn simulation_ui(
    ui: &mut egui::Ui,
    view: &mut SimulationView,
    choices: &Choices<'_>,
    actions: &mut Vec<Action>,
) {
    ui.horizontal_wrapped(|ui| {
        profile_choice_ui(ui, view, choices, actions);
        ui.separator();
        let label_walk = ui.label("Walk");
        let shown = match &view.scope {
            Scope::Alone => "this flow alone".to_owned(),
            Scope::UseCase(id) => choices
                .use_cases
                .iter()
                .find(|(case, _)| case == id)
                .map_or("(a use case)".to_owned(), |(_, name)| {
                    format!("use case: {name}")
                }),
        };
        let combo = egui::ComboBox::from_id_salt("simulation_scope")
            .selected_text(shown)
            .width(260.0)
            .show_ui(ui, |ui| {
                if ui
                    .selectable_label(view.scope == Scope::Alone, "this flow alone")
                    .clicked()
                {
                    view.scope = Scope::Alone;
                }
                for (id, name) in &choices.use_cases {
                    let scope = Scope::UseCase(id.clone());
                    if ui
                        .selectable_label(view.scope == scope, format!("use case: {name}"))
                        .clicked()
                    {
                        view.scope = scope;
                    }
                }
            });
        crate::panels::labelled(&combo.response, &label_walk, "Walk");
        ui.separator();
        let ready = view.profile.is_some();
        if ui
            .add_enabled(ready, egui::Button::new("Run simulation"))
            .on_disabled_hover_text("Choose a device profile first")
            .clicked()
        {
            actions.push(Action::RunSimulation);
        }
    });
    assumptions_ui(ui, choices, actions);
    if let Some(problem) = &view.problem {
        ui.label(RichText::new(problem).color(ui.visuals().error_fg_color));
    }
    let Some(result) = &view.result else {
        ui.label(
            RichText::new("Choose the device's profile and run: which harms stay reachable, how, and what would stop them.")
                .weak(),
        );
        return;
    };
    if result.tab_key != choices.tab.0 {
        ui.label(RichText::new("The last run was for another tab; run again for this one.").weak());
        return;
    }
    if result.revision != choices.tab.1 {
        ui.label(
            RichText::new("The flow changed since this run: run again to update it.")
                .color(ui.visuals().warn_fg_color),
        );
    }
    results_ui(ui, view, choices, actions);
}

fn results_ui(
    ui: &mut egui::Ui,
    view: &mut SimulationView,
    choices: &Choices<'_>,
    actions: &mut Vec<Action>,
) {
    let Some(result) = &view.result else {
        return;
    };
    let reachable = result
        .simulation
        .impacts
        .iter()
        .filter(|impact| impact.reachable)
        .count();
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(format!("Score {:.1} / 100", result.score.score))
                .heading()
                .strong(),
        );
        ui.label(format!(
            "{reachable} of {} impacts reachable, profile \"{}\", {}",
            result.simulation.impacts.len(),
            result.profile_name,
            result.scope_name
        ));
    });
    if !result.simulation.run.assumed_keys.is_empty() {
        let keys: Vec<&str> = result
            .simulation
            .run
            .assumed_keys
            .iter()
            .map(String::as_str)
            .collect();
        ui.label(
            RichText::new(format!(
                "Walked alone: its entry pivots' keys are taken as held ({}). Walk a use case to have an earlier flow obtain them.",
                keys.join(", ")
            ))
            .weak(),
        );
    }
    let mut wave = view.wave;
    ui.horizontal_wrapped(|ui| {
        ui.label("Playback");
        if ui.button("Start").clicked() {
            wave = 0;
        }
        if ui.button("Back").clicked() {
            wave = wave.saturating_sub(1);
        }
        if ui.button("Forward").clicked() {
            wave = (wave + 1).min(result.last_wave);
        }
        if ui.button("End").clicked() {
            wave = result.last_wave;
        }
        ui.label(format!("Wave {} of {}", wave, result.last_wave));
        ui.separator();
        legend_ui(ui);
    });
    view.wave = wave;
    ui.separator();
    let mut focus = view.focus;
    egui::ScrollArea::vertical()
        .id_salt("simulation_results")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.columns(2, |columns| {
                impacts_ui(&mut columns[0], result, &mut focus, actions);
                deductions_ui(&mut columns[1], result, choices, actions);
            });
        });
    view.focus = focus;
}

fn impacts_ui(
    ui: &mut egui::Ui,
    result: &SimResult,
    focus: &mut Option<usize>,
    actions: &mut Vec<Action>,
) {
    ui.strong("Impacts, most severe first");
    for impact in result.simulation.by_severity() {
        let index = result
            .simulation
            .impacts
            .iter()
            .position(|other| other.step == impact.step)
            .unwrap_or_default();
        let verdict = impact.verdict();
        let colour = if *focus == Some(index) {
            ui.visuals().strong_text_color()
        } else if impact.reachable {
            theme::SIM_REACHED
        } else {
            theme::SIM_BLOCKED
        };
        let multi = if impact.impact.multi_patient {
            ", multi-patient"
        } else {
            ""
        };
        let name = impact.action_label();
        let text = RichText::new(format!(
            "{verdict}: {}{multi}: {name}",
            impact.impact.severity.label()
        ))
        .color(colour);
        let response = ui
            .selectable_label(*focus == Some(index), text)
            .on_hover_text(if impact.impact.harm.is_empty() {
                "Click to highlight its path".to_owned()
            } else {
                format!("{}\nClick to highlight its path.", impact.impact.harm)
            });
        if response.clicked() {
            *focus = Some(index);
            if result.model.steps[impact.step].flow == result.flow {
                actions.push(Action::Reveal(impact.action_id.clone()));
            }
        }
        if *focus == Some(index) {
            if impact.reachable {
                let names: Vec<&str> = impact
                    .path_steps
                    .iter()
                    .map(|&step| result.model.steps[step].name.as_str())
                    .collect();
                ui.label(
                    RichText::new(format!(
                        "Path ({} detection opportunities): {}",
                        impact.detections,
                        names.join(", then ")
                    ))
                    .small(),
                );
            } else if !impact.blocked_by.is_empty() {
                ui.label(
                    RichText::new(format!(
                        "Blocked by: {}",
                        control_names(&result.model, &impact.blocked_by)
                    ))
                    .small(),
                );
            } else if !impact.absent_components.is_empty() {
                ui.label(
                    RichText::new(format!(
                        "The device lacks: {}",
                        impact.absent_components.join(", ")
                    ))
                    .small(),
                );
            }
        }
    }
    if result.simulation.impacts.is_empty() {
        ui.label(
            RichText::new("No action states a patient-safety impact: select an action and mark the harm it causes in the inspector.")
                .weak(),
        );
    }
}

fn control_names(model: &Model, ids: &[String]) -> String {
    ids.iter()
        .map(|id| {
            model
                .control(id)
                .map_or(id.as_str(), |index| model.controls[index].name.as_str())
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn deductions_ui(
    ui: &mut egui::Ui,
    result: &SimResult,
    choices: &Choices<'_>,
    actions: &mut Vec<Action>,
) {
    ui.strong("Where the points go");
    if result.score.deductions.is_empty() {
        ui.label("No impact is reachable: nothing is taken off.");
    }
    for deduction in &result.score.deductions {
        let detected = if deduction.detected {
            " (detected on the way: half kept)"
        } else {
            ""
        };
        ui.label(format!(
            "-{:.1}: {} in \"{}\"{detected}",
            deduction.points, deduction.action_name, deduction.flow_name
        ));
    }
    ui.add_space(6.0);
    ui.strong("Fewest further controls");
    if result.suggestion.controls.is_empty() {
        ui.label("None needed.");
    }
    let profile_tab = result.profile_tab.and_then(|key| {
        choices
            .tab_positions
            .iter()
            .find(|(tab, _)| *tab == key)
            .map(|(_, index)| *index)
    });
    for control in &result.suggestion.controls {
        let implemented = result.setting.implemented.contains(control);
        ui.horizontal_wrapped(|ui| {
            ui.label(control_names(&result.model, std::slice::from_ref(control)));
            match profile_tab {
                Some(tab) if !implemented => {
                    if ui
                        .small_button("Implement in the profile")
                        .on_hover_text("Marks the control implemented in the profile's tab (undoable there), then runs again")
                        .clicked()
                    {
                        actions.push(Action::ImplementSuggested {
                            profile_tab: tab,
                            control: control.clone(),
                        });
                    }
                }
                None => {
                    ui.label(RichText::new("(open the profile in a tab to implement)").weak().small());
                }
                Some(_) => {}
            }
        });
    }
    for impact in &result.suggestion.impacts {
        if !impact.lacking_prevention.is_empty() {
            let names: Vec<&str> = impact
                .lacking_prevention
                .iter()
                .filter_map(|id| result.model.steps.iter().find(|step| &step.id == id))
                .map(|step| step.name.as_str())
                .collect();
            ui.label(
                RichText::new(format!(
                    "No control of the catalogue can block one impact: no prevention control addresses {}",
                    names.join(", ")
                ))
                .color(ui.visuals().warn_fg_color),
            );
        }
    }
}
