//! The technique picker: a search box over the built-in ATT&CK catalog, with a domain and a
//! tactic filter, a list of matching techniques and sub-techniques, and keyboard navigation.
//!
//! The caller keeps one [`TechniquePicker`], draws it every frame with
//! [`TechniquePicker::ui`], and acts on the [`PickerOutcome`] it returns: the technique (and
//! tactic) chosen, or a cancel. While the search box (or no widget) has keyboard focus, the
//! picker takes Up, Down, Enter and Escape for itself.

use eframe::egui::{self, Align, FontSelection, Key, Modifiers, RichText, text::LayoutJob};
use medflow_core::attack::{Catalog, Domain, Entry, Kind, Query, TechniqueChoice};

/// The visible label of the search box, also its accessible name.
const SEARCH_LABEL: &str = "Search ATT&CK and ATLAS";

/// The hint shown in the empty search box.
const SEARCH_HINT: &str = "T1078 or valid accounts";

/// The kinds the picker offers.
const TECHNIQUE_KINDS: [Kind; 2] = [Kind::Technique, Kind::Subtechnique];

/// At most this many results are listed.
const RESULT_LIMIT: usize = 50;

/// The greatest height of the result list, in points.
const RESULTS_HEIGHT_POINTS: f32 = 320.0;

/// The width of the domain drop-down, in points.
const DOMAIN_COMBO_WIDTH_POINTS: f32 = 120.0;

/// The width of the tactic drop-down, in points.
const TACTIC_COMBO_WIDTH_POINTS: f32 = 260.0;

/// What happened in the picker this frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickerOutcome {
    /// The user chose a technique (Enter on the highlighted row, or a click on a row).
    Picked(TechniqueChoice),
    /// The user cancelled (Escape, or the Cancel button).
    Cancelled,
}

/// A search box over the ATT&CK catalog with domain and tactic filters and keyboard navigation.
///
/// Results are searched again only when the query, a filter or the catalog changes.
#[derive(Debug, Default)]
pub struct TechniquePicker {
    /// What the user typed.
    query: String,
    /// Only techniques of this domain.
    domain: Option<Domain>,
    /// Only techniques of this tactic id.
    tactic: Option<String>,
    /// The row Enter picks.
    highlighted: usize,
    /// False until the search box has been given keyboard focus (again, after a reset).
    focus_given: bool,
    /// The highlighted row should be scrolled into view on the next draw.
    scroll_to_highlighted: bool,
    /// The cached results.
    results: Results,
    /// The domain ranked first among equal matches (the flow's).
    prefer: Option<Domain>,
    /// Where the picker opens: beside the button that opened it (screen point, the
    /// window's top-right corner).
    pub anchor: Option<egui::Pos2>,
}

/// The rows of the last search and what it searched for.
#[derive(Debug, Default)]
struct Results {
    /// What the rows were searched for; `None` before the first search.
    key: Option<ResultsKey>,
    /// One row per hit, best first.
    rows: Vec<Row>,
    /// How many searches ran (to prove the cache works).
    #[cfg(test)]
    searches: usize,
}

/// Everything a search depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ResultsKey {
    text: String,
    domain: Option<Domain>,
    tactic: Option<String>,
    /// The catalog's address, its entries' address and count: changes when the catalog does.
    catalog: (usize, usize, usize),
}

/// One result, with its display text made once per search.
#[derive(Debug, Clone)]
struct Row {
    id: String,
    stix_id: String,
    name: String,
    domain: Domain,
    /// Tactic ids, in ATT&CK's order.
    tactics: Vec<String>,
    /// `T1078  Valid Accounts`, or `T1078.004  Valid Accounts: Cloud Accounts`.
    title: String,
    /// `(revoked — use T1560)` or `(deprecated)`.
    status: Option<String>,
    /// `Enterprise · Defense Evasion, Persistence`.
    detail: String,
}

/// The keys the picker handles, pressed this frame.
#[derive(Debug, Default)]
struct Keys {
    down: usize,
    up: usize,
    enter: bool,
    escape: bool,
}

impl TechniquePicker {
    /// A picker with an empty query; the search box takes keyboard focus when first shown.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// A picker ranking `domain`'s techniques first among equal matches.
    #[must_use]
    pub fn preferring(domain: Domain) -> Self {
        Self {
            prefer: Some(domain),
            ..Self::default()
        }
    }

    /// Starts a new pick: clears the query (keeps filters) and asks for focus.
    pub fn reset(&mut self) {
        self.query.clear();
        self.highlighted = 0;
        self.focus_given = false;
        self.scroll_to_highlighted = true;
    }

    /// Draws the picker; returns Some when the user chose a technique or cancelled.
    pub fn ui(&mut self, ui: &mut egui::Ui, catalog: &Catalog) -> Option<PickerOutcome> {
        let search_id = ui.make_persistent_id("technique_picker_search");
        // Taken before the search box is drawn, so it neither moves its cursor nor loses focus.
        let keys = take_keys(ui, search_id);

        self.search_row_ui(ui, search_id);
        self.filters_ui(ui, catalog);
        self.refresh(catalog);

        let mut outcome = None;
        if keys.escape {
            outcome = Some(PickerOutcome::Cancelled);
        }
        if keys.down > 0 || keys.up > 0 {
            let last = self.results.rows.len().saturating_sub(1);
            let moved = (self.highlighted + keys.down)
                .saturating_sub(keys.up)
                .min(last);
            if moved != self.highlighted {
                self.highlighted = moved;
                self.scroll_to_highlighted = true;
            }
        }
        if keys.enter
            && outcome.is_none()
            && let Some(row) = self.results.rows.get(self.highlighted)
        {
            outcome = Some(PickerOutcome::Picked(self.picked(row, catalog)));
        }

        ui.separator();
        if let Some(clicked) = self.results_ui(ui)
            && outcome.is_none()
        {
            self.highlighted = clicked;
            if let Some(row) = self.results.rows.get(clicked) {
                outcome = Some(PickerOutcome::Picked(self.picked(row, catalog)));
            }
        }
        ui.separator();
        if self.footer_ui(ui) && outcome.is_none() {
            outcome = Some(PickerOutcome::Cancelled);
        }
        outcome
    }

    /// The labelled search box; gives it focus when asked to.
    fn search_row_ui(&mut self, ui: &mut egui::Ui, search_id: egui::Id) {
        ui.horizontal(|ui| {
            let label = ui.label(SEARCH_LABEL);
            let response = ui
                .add(
                    egui::TextEdit::singleline(&mut self.query)
                        .id(search_id)
                        .hint_text(SEARCH_HINT)
                        .desired_width(f32::INFINITY)
                        .event_filter(egui::EventFilter {
                            tab: false,
                            horizontal_arrows: true,
                            vertical_arrows: true,
                            escape: true,
                        }),
                )
                .labelled_by(label.id);
            if !self.focus_given {
                response.request_focus();
                self.focus_given = true;
            }
        });
    }

    /// The domain and tactic drop-downs. A change gives the focus back to the search box.
    fn filters_ui(&mut self, ui: &mut egui::Ui, catalog: &Catalog) {
        let before = (self.domain, self.tactic.clone());
        ui.horizontal(|ui| {
            let label = ui.label("Domain");
            egui::ComboBox::from_id_salt("technique_picker_domain")
                .width(DOMAIN_COMBO_WIDTH_POINTS)
                .selected_text(domain_title(self.domain))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.domain, None, domain_title(None));
                    for info in catalog.domains() {
                        ui.selectable_value(
                            &mut self.domain,
                            Some(info.domain),
                            info.domain.title(),
                        );
                    }
                })
                .response
                .labelled_by(label.id);

            ui.add_space(ui.spacing().item_spacing.x * 2.0);
            let label = ui.label("Tactic");
            let selected = self.tactic.as_deref().map_or_else(
                || "Any tactic".to_owned(),
                |id| self.tactic_title(catalog, id),
            );
            egui::ComboBox::from_id_salt("technique_picker_tactic")
                .width(TACTIC_COMBO_WIDTH_POINTS)
                .selected_text(selected)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.tactic, None, "Any tactic");
                    let tactics = catalog.entries().iter().filter(|entry| {
                        entry.kind == Kind::Tactic
                            && entry.is_active()
                            && self.domain.is_none_or(|domain| entry.domain == domain)
                    });
                    for tactic in tactics {
                        let text = tactic_label(tactic, self.domain.is_none());
                        ui.selectable_value(&mut self.tactic, Some(tactic.id.to_string()), text);
                    }
                })
                .response
                .labelled_by(label.id);
        });
        if before != (self.domain, self.tactic.clone()) {
            self.focus_given = false;
        }
    }

    /// The drop-down text of the tactic filter.
    fn tactic_title(&self, catalog: &Catalog, id: &str) -> String {
        catalog
            .entry(id, self.domain)
            .filter(|entry| entry.kind == Kind::Tactic)
            .map_or_else(
                || id.to_owned(),
                |tactic| tactic_label(tactic, self.domain.is_none()),
            )
    }

    /// Searches again when the query, a filter or the catalog changed since the last search.
    fn refresh(&mut self, catalog: &Catalog) {
        if let (Some(domain), Some(tactic)) = (self.domain, self.tactic.as_deref())
            && catalog
                .entry(tactic, Some(domain))
                .is_none_or(|entry| entry.kind != Kind::Tactic)
        {
            // The tactic belongs to another domain: it would hide every technique.
            self.tactic = None;
        }
        let entries = catalog.entries();
        let key = ResultsKey {
            text: self.query.clone(),
            domain: self.domain,
            tactic: self.tactic.clone(),
            catalog: (
                std::ptr::from_ref(catalog).addr(),
                entries.as_ptr().addr(),
                entries.len(),
            ),
        };
        if self.results.key.as_ref() == Some(&key) {
            return;
        }
        let browsing = self.query.trim().is_empty();
        let mut hits = catalog.search(&Query {
            text: &self.query,
            domain: self.domain,
            tactic: self.tactic.as_deref(),
            kinds: &TECHNIQUE_KINDS,
            active_only: false,
            limit: if browsing { 0 } else { RESULT_LIMIT },
            prefer: self.prefer.or(Some(Domain::Enterprise)),
        });
        if browsing {
            // Every entry scores the same without a query: list the active ones first (a query's
            // ranking already puts deprecated and revoked entries last).
            hits.sort_by_key(|hit| !hit.entry.is_active());
            hits.truncate(RESULT_LIMIT);
        }
        self.results.rows = hits.iter().map(|hit| row(catalog, hit.entry)).collect();
        self.results.key = Some(key);
        #[cfg(test)]
        {
            self.results.searches += 1;
        }
        self.highlighted = 0;
        self.scroll_to_highlighted = true;
    }

    /// The result list; returns the index of the row clicked, if any.
    fn results_ui(&mut self, ui: &mut egui::Ui) -> Option<usize> {
        let mut clicked = None;
        let scroll_to_highlighted = std::mem::take(&mut self.scroll_to_highlighted);
        egui::ScrollArea::vertical()
            .id_salt("technique_picker_results")
            .max_height(RESULTS_HEIGHT_POINTS)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                if self.results.rows.is_empty() {
                    ui.label(RichText::new("No technique matches.").weak());
                }
                let width = ui.available_width();
                for (index, row) in self.results.rows.iter().enumerate() {
                    let highlighted = index == self.highlighted;
                    let response = ui
                        .add(
                            egui::Button::selectable(highlighted, row_text(ui, row))
                                .min_size(egui::vec2(width, 0.0))
                                .truncate(),
                        )
                        .on_hover_text(&row.detail);
                    if highlighted && scroll_to_highlighted {
                        response.scroll_to_me(None);
                    }
                    if response.clicked() {
                        clicked = Some(index);
                    }
                }
            });
        clicked
    }

    /// The count of results, the keyboard hint and the Cancel button; true when it was clicked.
    fn footer_ui(&self, ui: &mut egui::Ui) -> bool {
        let count = self.results.rows.len();
        let summary = match count {
            0 => "No results".to_owned(),
            1 => "1 technique".to_owned(),
            RESULT_LIMIT => format!("The first {RESULT_LIMIT} techniques; type to narrow"),
            _ => format!("{count} techniques"),
        };
        let text = format!("{summary}. Up/Down to move, Enter to pick, Esc to cancel");
        ui.with_layout(egui::Layout::right_to_left(Align::Center), |ui| {
            let cancelled = ui.button("Cancel").clicked();
            ui.with_layout(egui::Layout::left_to_right(Align::Center), |ui| {
                ui.add(egui::Label::new(RichText::new(text).weak()).truncate());
            });
            cancelled
        })
        .inner
    }

    /// The choice for a row: its technique, and its tactic when that is not a guess (the
    /// tactic filter's, or the technique's only one). A technique of several tactics leaves
    /// the choice to the author (the inspector lists its tactics).
    fn picked(&self, row: &Row, catalog: &Catalog) -> TechniqueChoice {
        let tactic_id = self
            .tactic
            .as_ref()
            .filter(|tactic| row.tactics.contains(tactic))
            .or(match row.tactics.as_slice() {
                [only] => Some(only),
                _ => None,
            })
            .cloned();
        let tactic_ref = tactic_id.as_deref().and_then(|id| {
            catalog
                .entry(id, Some(row.domain))
                .filter(|entry| entry.kind == Kind::Tactic)
                .map(|entry| entry.stix_id.to_string())
        });
        TechniqueChoice {
            technique_id: row.id.clone(),
            technique_ref: row.stix_id.clone(),
            technique_name: row.name.clone(),
            tactic_id,
            tactic_ref,
        }
    }
}

/// Reads (and consumes) the keys the picker handles, when the keyboard is the picker's: its
/// search box has focus, or no widget has and no pop-up is open.
fn take_keys(ui: &egui::Ui, search_id: egui::Id) -> Keys {
    let ours = !egui::Popup::is_any_open(ui.ctx())
        && ui.memory(|memory| memory.has_focus(search_id) || memory.focused().is_none());
    if !ours {
        return Keys::default();
    }
    let keys = ui.input_mut(|input| Keys {
        down: input.count_and_consume_key(Modifiers::NONE, Key::ArrowDown),
        up: input.count_and_consume_key(Modifiers::NONE, Key::ArrowUp),
        enter: input.consume_key(Modifiers::NONE, Key::Enter),
        escape: input.consume_key(Modifiers::NONE, Key::Escape),
    });
    if keys.down > 0 || keys.up > 0 {
        // The arrows move the highlight, not the keyboard focus.
        ui.memory_mut(|memory| memory.move_focus(egui::FocusDirection::None));
    }
    keys
}

/// `All domains`, or the domain's title.
fn domain_title(domain: Option<Domain>) -> &'static str {
    domain.map_or("All domains", Domain::title)
}

/// `TA0001 Initial Access`, with ` (Enterprise)` when several domains are listed.
fn tactic_label(tactic: &Entry, with_domain: bool) -> String {
    if with_domain {
        format!("{} {} ({})", tactic.id, tactic.name, tactic.domain.title())
    } else {
        format!("{} {}", tactic.id, tactic.name)
    }
}

/// The display row of a technique or sub-technique.
fn row(catalog: &Catalog, entry: &Entry) -> Row {
    let parent_name = entry
        .parent
        .as_deref()
        .and_then(|parent| catalog.entry(parent, Some(entry.domain)))
        .map(|parent| &*parent.name);
    let title = match parent_name {
        Some(parent) => format!("{}  {parent}: {}", entry.id, entry.name),
        None => format!("{}  {}", entry.id, entry.name),
    };
    let status = if entry.revoked {
        Some(match &entry.revoked_by {
            Some(replacement) => format!("(revoked — use {replacement})"),
            None => "(revoked)".to_owned(),
        })
    } else if entry.deprecated {
        Some("(deprecated)".to_owned())
    } else {
        None
    };
    let tactic_names: Vec<&str> = entry
        .tactics
        .iter()
        .map(|id| {
            catalog
                .entry(id, Some(entry.domain))
                .filter(|tactic| tactic.kind == Kind::Tactic)
                .map_or(&**id, |tactic| &*tactic.name)
        })
        .collect();
    let detail = if tactic_names.is_empty() {
        entry.domain.title().to_owned()
    } else {
        format!("{} · {}", entry.domain.title(), tactic_names.join(", "))
    };
    Row {
        id: entry.id.to_string(),
        stix_id: entry.stix_id.to_string(),
        name: entry.name.to_string(),
        domain: entry.domain,
        tactics: entry.tactics.iter().map(ToString::to_string).collect(),
        title,
        status,
        detail,
    }
}

/// A row's text: the id and name, the revoked or deprecated mark, then the domain and tactics,
/// weak.
fn row_text(ui: &egui::Ui, row: &Row) -> LayoutJob {
    let style = ui.style();
    let mut job = LayoutJob::default();
    RichText::new(&row.title).append_to(&mut job, style, FontSelection::Default, Align::Center);
    if let Some(status) = &row.status {
        RichText::new(format!("  {status}"))
            .color(ui.visuals().warn_fg_color)
            .append_to(&mut job, style, FontSelection::Default, Align::Center);
    }
    RichText::new(format!("   {}", row.detail))
        .weak()
        .append_to(&mut job, style, FontSelection::Default, Align::Center);
    job
}

#[cfg(test)]
mod tests {
    use egui_kittest::Harness;
    use egui_kittest::kittest::{NodeT as _, Queryable as _};

    use super::*;

    /// The picker under test and the last outcome it returned.
    struct Probe {
        picker: TechniquePicker,
        outcome: Option<PickerOutcome>,
    }

    fn catalog() -> &'static Catalog {
        let catalog = Catalog::embedded();
        assert!(!catalog.is_empty(), "the built-in catalog loads");
        catalog
    }

    fn harness(picker: TechniquePicker) -> Harness<'static, Probe> {
        let catalog = catalog();
        let mut harness = Harness::builder()
            .with_size(egui::vec2(760.0, 560.0))
            .build_ui_state(
                move |ui, probe: &mut Probe| {
                    if let Some(outcome) = probe.picker.ui(ui, catalog) {
                        probe.outcome = Some(outcome);
                    }
                },
                Probe {
                    picker,
                    outcome: None,
                },
            );
        harness.run();
        harness
    }

    fn type_query(harness: &mut Harness<'static, Probe>, text: &str) {
        harness.get_by_label(SEARCH_LABEL).type_text(text);
        harness.run();
    }

    fn press(harness: &mut Harness<'static, Probe>, key: Key) {
        harness.key_press(key);
        harness.run();
    }

    fn picked(harness: &Harness<'static, Probe>) -> TechniqueChoice {
        match &harness.state().outcome {
            Some(PickerOutcome::Picked(picked)) => picked.clone(),
            other => panic!("expected a pick, got {other:?}"),
        }
    }

    fn stix_id(id: &str, domain: Domain) -> String {
        catalog()
            .entry(id, Some(domain))
            .map(|entry| entry.stix_id.to_string())
            .unwrap_or_default()
    }

    #[test]
    fn search_box_is_labelled_and_focused_when_opened() {
        let harness = harness(TechniquePicker::new());
        let search = harness.get_by_label(SEARCH_LABEL);
        assert!(search.is_focused(), "the search box takes the focus");
        assert_eq!(
            search.accesskit_node().role(),
            egui::accesskit::Role::TextInput
        );
        assert!(harness.state().outcome.is_none());
    }

    #[test]
    fn typing_and_enter_picks_valid_accounts() {
        let mut harness = harness(TechniquePicker::new());
        type_query(&mut harness, "valid acc");
        assert_eq!(harness.state().picker.query, "valid acc");
        press(&mut harness, Key::Enter);
        assert!(
            harness.get_by_label(SEARCH_LABEL).is_focused(),
            "Enter is the picker's, not the search box's"
        );

        let choice = picked(&harness);
        let entry = catalog()
            .entry("T1078", Some(Domain::Enterprise))
            .expect("T1078 is in the catalog");
        assert_eq!(choice.technique_id, "T1078");
        assert_eq!(choice.technique_name, "Valid Accounts");
        assert_eq!(choice.technique_ref, entry.stix_id);
        assert!(entry.tactics.len() > 1);
        assert_eq!(
            (choice.tactic_id, choice.tactic_ref),
            (None, None),
            "T1078 belongs to several tactics: no silent guess"
        );
    }

    #[test]
    fn typing_and_enter_in_one_frame_picks_the_fresh_first_result() {
        let mut harness = harness(TechniquePicker::new());
        harness.get_by_label(SEARCH_LABEL).type_text("valid acc");
        harness.key_press(Key::Enter);
        harness.run();
        assert_eq!(picked(&harness).technique_id, "T1078");
    }

    #[test]
    fn arrow_down_then_enter_picks_the_second_result() {
        let mut harness = harness(TechniquePicker::new());
        type_query(&mut harness, "valid acc");
        press(&mut harness, Key::ArrowDown);
        assert_eq!(harness.state().picker.highlighted, 1);
        assert!(
            harness.get_by_label(SEARCH_LABEL).is_focused(),
            "the arrows do not move the focus"
        );
        press(&mut harness, Key::Enter);

        let hits = catalog().search(&Query {
            text: "valid acc",
            kinds: &TECHNIQUE_KINDS,
            limit: RESULT_LIMIT,
            prefer: Some(Domain::Enterprise),
            ..Query::default()
        });
        let second = hits.get(1).expect("two results").entry;
        let choice = picked(&harness);
        assert_eq!(choice.technique_id, second.id);
        assert_eq!(
            choice.technique_id, "T1078.001",
            "Valid Accounts' sub-techniques follow it"
        );
        assert_eq!(choice.technique_ref, second.stix_id);
    }

    #[test]
    fn arrows_are_clamped_to_the_results() {
        let mut harness = harness(TechniquePicker::new());
        type_query(&mut harness, "valid acc");
        press(&mut harness, Key::ArrowUp);
        assert_eq!(harness.state().picker.highlighted, 0);
        let count = harness.state().picker.results.rows.len();
        for _ in 0..count + 3 {
            harness.key_press(Key::ArrowDown);
        }
        harness.run();
        assert_eq!(harness.state().picker.highlighted, count - 1);
        assert!(harness.state().outcome.is_none());
    }

    #[test]
    fn the_highlighted_row_scrolls_into_view() {
        let mut harness = harness(TechniquePicker::new());
        let target = 40;
        for _ in 0..target {
            harness.key_press(Key::ArrowDown);
        }
        harness.run();
        assert_eq!(harness.state().picker.highlighted, target);
        let title = harness.state().picker.results.rows[target].title.clone();
        let row = harness.get_by_label_contains(&title).rect();
        let list_end = harness.get_by_label("Cancel").rect().top();
        assert!(
            row.bottom() <= list_end,
            "row {row:?} is above the footer at {list_end}"
        );
    }

    #[test]
    fn tactic_filter_chooses_the_tactic() {
        let mut picker = TechniquePicker::new();
        picker.tactic = Some("TA0001".to_owned());
        let mut harness = harness(picker);
        type_query(&mut harness, "valid acc");
        press(&mut harness, Key::Enter);

        let choice = picked(&harness);
        assert_eq!(choice.technique_id, "T1078");
        assert_eq!(choice.tactic_id.as_deref(), Some("TA0001"));
        assert_eq!(
            choice.tactic_ref,
            Some(stix_id("TA0001", Domain::Enterprise))
        );
        assert_eq!(
            choice.tactic_ref.as_deref(),
            Some("x-mitre-tactic--ffd5bcee-6e16-4dd2-8eca-7b3beedf33ca")
        );
    }

    #[test]
    fn escape_cancels() {
        let mut harness = harness(TechniquePicker::new());
        type_query(&mut harness, "valid");
        press(&mut harness, Key::Escape);
        assert_eq!(harness.state().outcome, Some(PickerOutcome::Cancelled));
    }

    #[test]
    fn cancel_button_cancels() {
        let mut harness = harness(TechniquePicker::new());
        harness.get_by_label("Cancel").click();
        harness.run();
        assert_eq!(harness.state().outcome, Some(PickerOutcome::Cancelled));
    }

    /// A picker with the domain chosen in its drop-down, as a user does.
    fn picker_in_domain(title: &str) -> Harness<'static, Probe> {
        let mut harness = harness(TechniquePicker::new());
        harness.get_by_label("Domain").click();
        harness.run();
        harness.get_by_label(title).click();
        harness.run();
        harness
    }

    #[test]
    fn atlas_domain_filter_picks_poison_training_data() {
        let mut harness = picker_in_domain("ATLAS");
        assert_eq!(harness.state().picker.domain, Some(Domain::Atlas));
        type_query(&mut harness, "poison training");
        press(&mut harness, Key::Enter);
        let choice = picked(&harness);
        assert_eq!(
            (choice.technique_id.as_str(), choice.technique_name.as_str()),
            ("AML.T0020", "Poison Training Data")
        );
        assert_eq!(choice.technique_ref, stix_id("AML.T0020", Domain::Atlas));
    }

    #[test]
    fn ics_domain_filter_picks_loss_of_availability() {
        let mut harness = picker_in_domain("ICS");
        assert_eq!(harness.state().picker.domain, Some(Domain::Ics));
        assert!(
            harness.get_by_label(SEARCH_LABEL).is_focused(),
            "the search box has the focus back"
        );
        type_query(&mut harness, "loss of av");
        press(&mut harness, Key::Enter);

        let choice = picked(&harness);
        assert_eq!(choice.technique_id, "T0826");
        assert_eq!(choice.technique_name, "Loss of Availability");
        assert_eq!(choice.technique_ref, stix_id("T0826", Domain::Ics));
        assert_eq!(choice.tactic_id.as_deref(), Some("TA0105"));
        assert_eq!(choice.tactic_ref, Some(stix_id("TA0105", Domain::Ics)));
    }

    #[test]
    fn tactic_drop_down_lists_tactics_with_their_domain() {
        let mut harness = harness(TechniquePicker::new());
        harness.get_by_label("Tactic").click();
        harness.run();
        harness
            .get_by_label("TA0001 Initial Access (Enterprise)")
            .click();
        harness.run();
        assert_eq!(harness.state().picker.tactic.as_deref(), Some("TA0001"));
        let rows = &harness.state().picker.results.rows;
        assert!(!rows.is_empty());
        assert!(
            rows.iter()
                .all(|row| row.tactics.iter().any(|tactic| tactic == "TA0001"))
        );
    }

    #[test]
    fn clicking_a_row_picks_it() {
        let mut harness = harness(TechniquePicker::new());
        type_query(&mut harness, "valid accounts");
        harness
            .get_by_label_contains("T1078  Valid Accounts")
            .click();
        harness.run();
        assert_eq!(picked(&harness).technique_id, "T1078");
    }

    #[test]
    fn rows_show_domain_tactics_and_revocation() {
        let mut harness = harness(TechniquePicker::new());
        type_query(&mut harness, "T1002");
        let label = harness
            .get_by_label_contains("T1002  Data Compressed")
            .accesskit_node()
            .label()
            .unwrap_or_default();
        assert!(label.contains("(revoked — use T1560)"), "{label}");
        assert!(label.contains("Enterprise · Exfiltration"), "{label}");
    }

    #[test]
    fn subtechnique_rows_name_their_parent() {
        let mut harness = harness(TechniquePicker::new());
        type_query(&mut harness, "T1078.004");
        harness.get_by_label_contains("T1078.004  Valid Accounts: Cloud Accounts");
        press(&mut harness, Key::Enter);
        let choice = picked(&harness);
        assert_eq!(choice.technique_id, "T1078.004");
        assert_eq!(choice.technique_name, "Cloud Accounts");
    }

    #[test]
    fn empty_query_lists_filtered_techniques() {
        let mut picker = TechniquePicker::new();
        picker.domain = Some(Domain::Mobile);
        let harness = harness(picker);
        let rows = &harness.state().picker.results.rows;
        assert_eq!(rows.len(), RESULT_LIMIT);
        assert!(rows.iter().all(|row| row.domain == Domain::Mobile));
        assert!(
            rows.iter().all(|row| row.status.is_none()),
            "browsing lists active techniques first"
        );
        let mut ids: Vec<&str> = rows.iter().map(|row| row.id.as_str()).collect();
        ids.sort_unstable();
        assert_eq!(
            ids,
            rows.iter().map(|row| row.id.as_str()).collect::<Vec<_>>(),
            "by id"
        );
    }

    #[test]
    fn results_are_searched_only_when_the_query_changes() {
        let mut harness = harness(TechniquePicker::new());
        let before = harness.state().picker.results.searches;
        harness.run_steps(5);
        assert_eq!(harness.state().picker.results.searches, before);
        type_query(&mut harness, "valid");
        assert_eq!(harness.state().picker.results.searches, before + 1);
        harness.run_steps(5);
        assert_eq!(harness.state().picker.results.searches, before + 1);
    }

    #[test]
    fn a_tactic_of_another_domain_is_dropped() {
        let mut picker = TechniquePicker::new();
        picker.tactic = Some("TA0001".to_owned());
        picker.domain = Some(Domain::Ics);
        let harness = harness(picker);
        assert_eq!(harness.state().picker.tactic, None);
        assert!(!harness.state().picker.results.rows.is_empty());
    }

    #[test]
    fn reset_clears_the_query_keeps_filters_and_refocuses() {
        let mut harness = harness(TechniquePicker::new());
        harness.state_mut().picker.domain = Some(Domain::Enterprise);
        type_query(&mut harness, "valid");
        // Move the focus away, as closing and reopening a window would.
        harness.get_by_label("Cancel").click();
        harness.run();
        assert!(!harness.get_by_label(SEARCH_LABEL).is_focused());

        harness.state_mut().outcome = None;
        harness.state_mut().picker.reset();
        harness.run();
        let picker = &harness.state().picker;
        assert!(picker.query.is_empty());
        assert_eq!(picker.domain, Some(Domain::Enterprise));
        assert!(harness.get_by_label(SEARCH_LABEL).is_focused());
    }

    #[test]
    fn picking_a_technique_without_tactics_gives_no_tactic() {
        let row = Row {
            id: "T9999".to_owned(),
            stix_id: "attack-pattern--x".to_owned(),
            name: "Nothing".to_owned(),
            domain: Domain::Enterprise,
            tactics: Vec::new(),
            title: String::new(),
            status: None,
            detail: String::new(),
        };
        let choice = TechniquePicker::new().picked(&row, catalog());
        assert_eq!(choice.tactic_id, None);
        assert_eq!(choice.tactic_ref, None);
    }
}
