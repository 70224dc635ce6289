//! The bottom panel's control views: the **RACI matrix** (the controls of the open flows
//! against the five parties, cells editable, filtered by flow, party and kind, sortable) and
//! the **coverage** of the active flow (each action with its prevention and detection
//! controls; gaps first when asked, each row clickable to the canvas).

use eframe::egui::{self, RichText, WidgetInfo, WidgetType};
use medflow_core::control::{Control, ControlKind, Party, Role, Roles, controls, coverage};

use crate::actions::Action;
use crate::tab::Tab;

/// How the matrix is sorted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortBy {
    /// By control name.
    #[default]
    Name,
    /// By kind, then name.
    Kind,
    /// By flow, then name.
    Flow,
}

/// The RACI matrix's filters and sort order (kept across frames by the app).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RaciView {
    /// Only this tab's controls; `None` for every open flow.
    pub flow: Option<usize>,
    /// Only controls where this party holds a role.
    pub party: Option<Party>,
    /// Only controls of this kind.
    pub kind: Option<ControlKind>,
    /// The sort column.
    pub sort: SortBy,
    /// Sort descending.
    pub descending: bool,
}

/// One matrix row: a control of one open flow.
struct Row<'a> {
    tab: usize,
    flow: String,
    control: Control,
    tab_ref: &'a Tab,
}

fn kind_text(kind: Option<ControlKind>) -> &'static str {
    kind.map_or("?", ControlKind::as_str)
}

/// The rows the filters let through, sorted.
fn rows<'a>(tabs: &'a [Tab], view: &RaciView) -> Vec<Row<'a>> {
    let mut rows: Vec<Row<'a>> = Vec::new();
    for (index, tab) in tabs.iter().enumerate() {
        if view.flow.is_some_and(|flow| flow != index) {
            continue;
        }
        for control in controls(tab.document()) {
            if view.kind.is_some_and(|kind| control.kind != Some(kind)) {
                continue;
            }
            if view
                .party
                .is_some_and(|party| !control.raci.contains_key(&party))
            {
                continue;
            }
            rows.push(Row {
                tab: index,
                flow: tab.name(),
                control,
                tab_ref: tab,
            });
        }
    }
    rows.sort_by(|a, b| {
        let by_name = a
            .control
            .name
            .to_lowercase()
            .cmp(&b.control.name.to_lowercase())
            .then_with(|| a.control.id.cmp(&b.control.id));
        let order = match view.sort {
            SortBy::Name => by_name,
            SortBy::Kind => a.control.kind.cmp(&b.control.kind).then(by_name),
            SortBy::Flow => a.flow.cmp(&b.flow).then(by_name),
        };
        if view.descending {
            order.reverse()
        } else {
            order
        }
    });
    rows
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
fn sort_header(ui: &mut egui::Ui, view: &mut RaciView, column: SortBy, text: &str) {
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
    actions: &mut Vec<Action>,
) {
    ui.horizontal(|ui| {
        let flows: Vec<(usize, String)> = tabs
            .iter()
            .enumerate()
            .map(|(index, tab)| (index, tab.name()))
            .collect();
        filter_combo(ui, "Flow", &mut view.flow, &flows);
        let parties: Vec<(Party, String)> = Party::ALL
            .into_iter()
            .map(|party| (party, party.short_name().to_owned()))
            .collect();
        filter_combo(ui, "Party", &mut view.party, &parties);
        let kinds: Vec<(ControlKind, String)> = ControlKind::ALL
            .into_iter()
            .map(|kind| (kind, kind.as_str().to_owned()))
            .collect();
        filter_combo(ui, "Kind", &mut view.kind, &kinds);
    });
    if view.flow.is_some_and(|flow| flow >= tabs.len()) {
        view.flow = None;
    }
    let rows = rows(tabs, view);
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
                    sort_header(ui, view, SortBy::Name, "Control");
                    sort_header(ui, view, SortBy::Kind, "Kind");
                    sort_header(ui, view, SortBy::Flow, "Flow");
                    for party in Party::ALL {
                        ui.label(RichText::new(party.short_name()).strong())
                            .on_hover_text(party.name());
                    }
                    ui.label(RichText::new("Actions").strong());
                    ui.end_row();
                    for row in &rows {
                        row_ui(ui, row, active, actions);
                        ui.end_row();
                    }
                });
        });
}

fn row_ui(ui: &mut egui::Ui, row: &Row<'_>, active: usize, actions: &mut Vec<Action>) {
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
        if row.tab != active {
            actions.push(Action::SelectTab(row.tab));
        }
        actions.push(Action::Select(vec![control.id.clone()]));
    }
    ui.label(kind_text(control.kind));
    ui.label(&row.flow);
    for party in Party::ALL {
        cell_ui(ui, row, party, actions);
    }
    let names: Vec<String> = control
        .addresses
        .iter()
        .map(|id| action_name(row.tab_ref, id))
        .collect();
    ui.label(names.len().to_string())
        .on_hover_text(names.join("\n"));
}

/// The name of an action of the tab's document, or its id.
fn action_name(tab: &Tab, id: &str) -> String {
    match tab.document().object(id) {
        Some(medflow_core::StixObject::AttackAction(action)) => {
            action.name.clone().unwrap_or_else(|| id.to_owned())
        }
        _ => id.to_owned(),
    }
}

/// One party's cell: its letters; clicking opens the four roles to tick.
fn cell_ui(ui: &mut egui::Ui, row: &Row<'_>, party: Party, actions: &mut Vec<Action>) {
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

/// The action setting `party`'s roles on the row's control.
fn set_party(row: &Row<'_>, party: Party, roles: Roles) -> Action {
    let control = &row.control;
    let mut raci = control.raci.clone();
    if roles.is_empty() {
        raci.remove(&party);
    } else {
        raci.insert(party, roles);
    }
    let shown = if roles.is_empty() {
        "none".to_owned()
    } else {
        roles.to_string()
    };
    Action::SetControl {
        tab: row.tab,
        control: control.id.clone(),
        kind: control.kind.unwrap_or(ControlKind::Prevent),
        fda_category: control.fda_category,
        raci,
        label: format!("Set {party} to {shown} on {}", control.name),
    }
}

/// The active flow's actions with their controls.
pub fn coverage_ui(ui: &mut egui::Ui, tab: &Tab, actions: &mut Vec<Action>) {
    let rows = coverage(tab.document());
    let known = controls(tab.document());
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
    egui::ScrollArea::both()
        .id_salt("coverage")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            egui::Grid::new("coverage_grid")
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
                        if ui
                            .add(egui::Label::new(name).sense(egui::Sense::click()))
                            .on_hover_text("Show on the canvas")
                            .clicked()
                        {
                            actions.push(Action::Reveal(row.id.clone()));
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
