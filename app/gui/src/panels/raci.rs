//! The bottom panel's control views: the **RACI matrix** (the controls of the open flows
//! against the five parties, cells editable, filtered by flow, party and kind, sortable) and
//! the **coverage** of the active flow (each action with its prevention and detection
//! controls; gaps first when asked, each row clickable to the canvas).

use eframe::egui::{self, RichText, WidgetInfo, WidgetType};
use medflow_core::control::{
    ControlKind, MatrixFilter, MatrixRow, MatrixSort, Party, Role, Roles, controls, coverage,
    raci_matrix,
};

use crate::actions::Action;
use crate::tab::Tab;

/// The RACI matrix's filters and sort order (kept across frames by the app).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RaciView {
    /// Which controls are shown (the flow is a tab's index).
    pub filter: MatrixFilter,
    /// The sort column.
    pub sort: MatrixSort,
    /// Sort descending.
    pub descending: bool,
    /// Only the controls of the open flows of this use case (its id).
    pub use_case: Option<String>,
}

/// A use case the panels can filter by: its id, name and flows (`attack-flow` ids).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UseCaseFilter {
    /// The use case's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its flows, in order.
    pub flows: Vec<String>,
}

/// The use case drop-down ("All" first).
fn use_case_combo(
    ui: &mut egui::Ui,
    id_salt: &str,
    value: &mut Option<String>,
    use_cases: &[UseCaseFilter],
) {
    if use_cases.is_empty() {
        return;
    }
    let selected = value
        .as_ref()
        .and_then(|id| use_cases.iter().find(|case| &case.id == id))
        .map_or_else(|| "All".to_owned(), |case| case.name.clone());
    let name = ui.label("Use case");
    let combo = egui::ComboBox::from_id_salt(("use_case_filter", id_salt))
        .selected_text(selected)
        .width(240.0)
        .show_ui(ui, |ui| {
            ui.selectable_value(value, None, "All");
            for case in use_cases {
                ui.selectable_value(value, Some(case.id.clone()), &case.name);
            }
        });
    let combo = combo.response.labelled_by(name.id);
    combo.widget_info(|| egui::WidgetInfo::labeled(egui::WidgetType::ComboBox, true, "Use case"));
}

/// The flow id of a tab's document.
fn flow_of(tab: &Tab) -> Option<&str> {
    tab.document().flow().map(|flow| flow.common.id.as_str())
}

fn kind_text(kind: Option<ControlKind>) -> &'static str {
    kind.map_or("?", ControlKind::as_str)
}

/// The rows the filters let through, sorted: core's matrix of the open tabs.
fn rows(tabs: &[Tab], view: &RaciView) -> (Vec<MatrixRow>, Vec<String>) {
    let names: Vec<String> = tabs.iter().map(Tab::name).collect();
    let flows: Vec<(&str, &medflow_core::Document)> = names
        .iter()
        .zip(tabs)
        .map(|(name, tab)| (name.as_str(), tab.document()))
        .collect();
    let rows = raci_matrix(&flows, &view.filter, view.sort, view.descending);
    (rows, names)
}

/// The tabs holding a flow of the use case, and how many of its flows no tab holds.
fn use_case_tabs(tabs: &[Tab], case: &UseCaseFilter) -> (Vec<usize>, usize) {
    let members: Vec<usize> = tabs
        .iter()
        .enumerate()
        .filter(|(_, tab)| flow_of(tab).is_some_and(|flow| case.flows.iter().any(|id| id == flow)))
        .map(|(index, _)| index)
        .collect();
    let open: Vec<&str> = members
        .iter()
        .filter_map(|&index| flow_of(&tabs[index]))
        .collect();
    let missing = case
        .flows
        .iter()
        .filter(|flow| !open.contains(&flow.as_str()))
        .count();
    (members, missing)
}

/// A combo box over `choices`, `None` meaning "All".
fn filter_combo<T: Copy + PartialEq>(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut Option<T>,
    choices: &[(T, String)],
) {
    let selected = value
        .and_then(|value| choices.iter().find(|(choice, _)| *choice == value))
        .map_or_else(|| "All".to_owned(), |(_, text)| text.clone());
    // The name before the box, as people read a filter bar; the box carries it too, for
    // screen readers.
    let name = ui.label(label);
    let combo = egui::ComboBox::from_id_salt(("raci_filter", label))
        .selected_text(selected)
        .show_ui(ui, |ui| {
            ui.selectable_value(value, None, "All");
            for (choice, text) in choices {
                ui.selectable_value(value, Some(*choice), text);
            }
        });
    let combo = combo.response.labelled_by(name.id);
    combo.widget_info(|| egui::WidgetInfo::labeled(egui::WidgetType::ComboBox, true, label));
}

/// A sortable column header.
fn sort_header(ui: &mut egui::Ui, view: &mut RaciView, column: MatrixSort, text: &str) {
    let arrow = match (view.sort == column, view.descending) {
        (true, false) => " ⬆",
        (true, true) => " ⬇",
        (false, _) => "",
    };
    if ui
        .button(RichText::new(format!("{text}{arrow}")).strong())
        .clicked()
    {
        if view.sort == column {
            view.descending = !view.descending;
        } else {
            view.sort = column;
            view.descending = false;
        }
    }
}

/// The RACI matrix of the open flows' controls.
pub fn raci_matrix_ui(
    ui: &mut egui::Ui,
    tabs: &[Tab],
    active: usize,
    view: &mut RaciView,
    use_cases: &[UseCaseFilter],
    actions: &mut Vec<Action>,
) {
    ui.horizontal(|ui| {
        use_case_combo(ui, "raci", &mut view.use_case, use_cases);
        let flows: Vec<(usize, String)> = tabs
            .iter()
            .enumerate()
            .map(|(index, tab)| (index, tab.name()))
            .collect();
        filter_combo(ui, "Flow", &mut view.filter.flow, &flows);
        let parties: Vec<(Party, String)> = Party::ALL
            .into_iter()
            .map(|party| (party, party.short_name().to_owned()))
            .collect();
        filter_combo(ui, "Party", &mut view.filter.party, &parties);
        let kinds: Vec<(ControlKind, String)> = ControlKind::ALL
            .into_iter()
            .map(|kind| (kind, kind.as_str().to_owned()))
            .collect();
        filter_combo(ui, "Kind", &mut view.filter.kind, &kinds);
    });
    if view.filter.flow.is_some_and(|flow| flow >= tabs.len()) {
        view.filter.flow = None;
    }
    let (mut rows, names) = rows(tabs, view);
    if let Some(case) = view
        .use_case
        .as_ref()
        .and_then(|id| use_cases.iter().find(|case| &case.id == id))
    {
        let (members, missing) = use_case_tabs(tabs, case);
        rows.retain(|row| row.flows.iter().any(|flow| members.contains(flow)));
        if missing > 0 {
            ui.label(
                RichText::new(format!(
                    "{missing} of the use case's {} flows are not open: open them to see their controls here.",
                    case.flows.len()
                ))
                .weak(),
            );
        }
    }
    if rows.is_empty() {
        ui.label("No controls. Select an action and add one from its ATT&CK suggestions in the inspector.");
        return;
    }
    egui::ScrollArea::both()
        .id_salt("raci_matrix")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            egui::Grid::new("raci_grid")
                .striped(true)
                .num_columns(Party::ALL.len() + 4)
                .show(ui, |ui| {
                    sort_header(ui, view, MatrixSort::Name, "Control");
                    sort_header(ui, view, MatrixSort::Kind, "Kind");
                    sort_header(ui, view, MatrixSort::Flow, "Flow");
                    for party in Party::ALL {
                        ui.label(RichText::new(party.short_name()).strong())
                            .on_hover_text(party.name());
                    }
                    ui.label(RichText::new("Actions").strong());
                    ui.end_row();
                    for row in &rows {
                        row_ui(ui, row, &names, active, actions);
                        ui.end_row();
                    }
                });
        });
}

fn row_ui(
    ui: &mut egui::Ui,
    row: &MatrixRow,
    names: &[String],
    active: usize,
    actions: &mut Vec<Action>,
) {
    let control = &row.control;
    let name = if control.name.is_empty() {
        control.id.as_str()
    } else {
        control.name.as_str()
    };
    let source = control
        .source
        .as_ref()
        .map_or_else(String::new, |source| format!(" ({source})"));
    let row_height = ui.text_style_height(&egui::TextStyle::Body);
    let clicked = ui
        .allocate_ui_with_layout(
            egui::vec2(280.0, row_height),
            egui::Layout::left_to_right(egui::Align::Center),
            |ui| {
                ui.set_min_width(280.0);
                ui.add(
                    egui::Label::new(format!("{name}{source}"))
                        .sense(egui::Sense::click())
                        .truncate(),
                )
                .on_hover_text(format!(
                    "{name}{source}: select this control (its flow's tab opens)"
                ))
                .clicked()
            },
        )
        .inner;
    if clicked {
        // The active tab when it holds the control, else the first that does.
        let tab = if row.flows.contains(&active) {
            Some(active)
        } else {
            row.flows.first().copied()
        };
        if let Some(tab) = tab.filter(|tab| *tab != active) {
            actions.push(Action::SelectTab(tab));
        }
        actions.push(Action::Select(vec![control.id.clone()]));
    }
    ui.label(kind_text(control.kind));
    let flows: Vec<&str> = row
        .flows
        .iter()
        .filter_map(|index| names.get(*index).map(String::as_str))
        .collect();
    // One name keeps the column narrow; a control in several open flows says how many more,
    // and lists them on hover.
    let shown = match flows.as_slice() {
        [] => String::new(),
        [only] => (*only).to_owned(),
        [first, rest @ ..] => format!("{first} (+{} more)", rest.len()),
    };
    let mut hover = flows.join("\n");
    if row.copies_differ {
        hover.push_str(
            "\n\nThe copies of this control in these flows differ; the first flow's is shown. \
             Setting a party's roles sets them in every copy.",
        );
    }
    let flow_label = ui.label(shown);
    if flows.len() > 1 || row.copies_differ {
        flow_label.on_hover_text(hover);
    }
    for party in Party::ALL {
        cell_ui(ui, row, party, actions);
    }
    let names: Vec<&str> = row.actions.iter().map(|(_, name)| name.as_str()).collect();
    ui.label(names.len().to_string())
        .on_hover_text(names.join("\n"));
}

/// One party's cell: its letters; clicking opens the four roles to tick.
fn cell_ui(ui: &mut egui::Ui, row: &MatrixRow, party: Party, actions: &mut Vec<Action>) {
    let control = &row.control;
    let roles = control.raci.get(&party).copied().unwrap_or_default();
    let letters = if roles.is_empty() {
        "·".to_owned()
    } else {
        roles.to_string()
    };
    let accessible = format!("{} of {}: {}", party.short_name(), control.name, roles);
    let response = egui::containers::menu::MenuButton::new(letters)
        .ui(ui, |ui| {
            ui.label(RichText::new(format!("{} for {}", party.name(), control.name)).strong());
            for role in Role::ALL {
                let mut held = roles.contains(role);
                if ui
                    .checkbox(&mut held, format!("{} {}", role.letter(), role.name()))
                    .changed()
                {
                    let changed = if held {
                        roles.with(role)
                    } else {
                        roles.without(role)
                    };
                    actions.push(set_party(row, party, changed));
                }
            }
        })
        .0;
    response.widget_info(|| WidgetInfo::labeled(WidgetType::Button, true, &accessible));
}

/// The action setting `party`'s roles on the row's control, in every open flow holding it.
fn set_party(row: &MatrixRow, party: Party, roles: Roles) -> Action {
    let shown = if roles.is_empty() {
        "none".to_owned()
    } else {
        roles.to_string()
    };
    Action::SetControlRoles {
        tabs: row.flows.clone(),
        control: row.control.id.clone(),
        party,
        roles,
        label: format!("Set {party} to {shown} on {}", row.control.name),
    }
}

/// The active flow's actions with their controls.
pub fn coverage_ui(
    ui: &mut egui::Ui,
    tab: &Tab,
    use_case: &mut Option<String>,
    use_cases: &[UseCaseFilter],
    flows: &[(String, String, &medflow_core::Document)],
    actions: &mut Vec<Action>,
) {
    ui.horizontal(|ui| use_case_combo(ui, "coverage", use_case, use_cases));
    let case = use_case
        .as_ref()
        .and_then(|id| use_cases.iter().find(|case| &case.id == id));
    let Some(case) = case else {
        flow_coverage_ui(ui, tab.document(), None, true, actions);
        return;
    };
    egui::ScrollArea::vertical()
        .id_salt("coverage_use_case")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for flow in &case.flows {
                let own = flow_of(tab) == Some(flow.as_str());
                let found = if own {
                    Some((tab.name(), tab.document()))
                } else {
                    flows
                        .iter()
                        .find(|(id, _, _)| id == flow)
                        .map(|(_, name, document)| (name.clone(), *document))
                };
                match found {
                    Some((name, document)) => {
                        ui.strong(name);
                        flow_coverage_ui(ui, document, Some(flow), own, actions);
                    }
                    None => {
                        ui.label(format!("{flow}: no open tab or library flow holds it"));
                    }
                }
                ui.separator();
            }
        });
}

/// The coverage table of one flow; its action names reveal them when `revealable` (the
/// active tab's flow).
fn flow_coverage_ui(
    ui: &mut egui::Ui,
    document: &medflow_core::Document,
    salt: Option<&str>,
    revealable: bool,
    actions: &mut Vec<Action>,
) {
    let rows = coverage(document);
    let known = controls(document);
    let name_of = |id: &String| {
        known
            .iter()
            .find(|control| control.id == *id)
            .map_or_else(|| id.clone(), |control| control.name.clone())
    };
    let without_prevention = rows.iter().filter(|row| row.lacks_prevention()).count();
    let without_detection = rows.iter().filter(|row| row.lacks_detection()).count();
    ui.label(format!(
        "{} actions: {without_prevention} without prevention, {without_detection} without detection.",
        rows.len()
    ));
    if rows.is_empty() {
        return;
    }
    let scroll = egui::ScrollArea::both()
        .id_salt(("coverage", salt))
        .auto_shrink([false, salt.is_some()]);
    scroll.show(ui, |ui| {
        egui::Grid::new(("coverage_grid", salt))
            .striped(true)
            .num_columns(5)
            .show(ui, |ui| {
                for header in ["Action", "Technique", "Prevention", "Detection", "Gap"] {
                    ui.label(RichText::new(header).strong());
                }
                ui.end_row();
                // Gaps first: both missing, then one, then covered; document order within.
                let mut ordered: Vec<_> = rows.iter().collect();
                ordered.sort_by_key(|row| {
                    std::cmp::Reverse(
                        u8::from(row.lacks_prevention()) + u8::from(row.lacks_detection()),
                    )
                });
                for row in ordered {
                    let name = if row.name.is_empty() {
                        row.id.as_str()
                    } else {
                        row.name.as_str()
                    };
                    if revealable {
                        if ui
                            .add(egui::Label::new(name).sense(egui::Sense::click()))
                            .on_hover_text("Show on the canvas")
                            .clicked()
                        {
                            actions.push(Action::Reveal(row.id.clone()));
                        }
                    } else {
                        ui.label(name);
                    }
                    ui.label(row.technique_id.as_deref().unwrap_or("—"));
                    let list = |ids: &[String]| {
                        if ids.is_empty() {
                            "—".to_owned()
                        } else {
                            ids.iter().map(name_of).collect::<Vec<_>>().join(", ")
                        }
                    };
                    ui.label(list(&row.prevention));
                    ui.label(list(&row.detection));
                    let gap = match (row.lacks_prevention(), row.lacks_detection()) {
                        (true, true) => "no prevention, no detection",
                        (true, false) => "no prevention",
                        (false, true) => "no detection",
                        (false, false) => "",
                    };
                    ui.label(RichText::new(gap).color(ui.visuals().warn_fg_color));
                    ui.end_row();
                }
            });
    });
}
