//! The inspector's architecture section for an asset: which component of the reference
//! architecture it is bound to, chosen from the components grouped by zone.

use eframe::egui::{self, RichText};
use medflow_core::StixObject;
use medflow_core::architecture::{Architecture, bound_component};

use crate::actions::Action;
use crate::tab::Tab;

/// The component an asset is bound to, with a drop-down to change it.
pub fn asset_binding_ui(
    ui: &mut egui::Ui,
    tab: &Tab,
    asset: &StixObject,
    actions: &mut Vec<Action>,
) {
    let architecture = Architecture::reference_static();
    ui.separator();
    ui.heading("Architecture");
    let bound = bound_component(tab.document(), asset);
    let shown = bound.map_or_else(
        || "(not bound)".to_owned(),
        |key| {
            architecture
                .component(key)
                .map_or_else(|| key.to_owned(), |component| component.name.clone())
        },
    );
    let mut chosen = bound.map(str::to_owned);
    egui::ComboBox::from_label("Component")
        .selected_text(shown)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut chosen, None, "(not bound)");
            for zone in &architecture.zones {
                ui.label(RichText::new(&zone.name).small().weak());
                for component in architecture
                    .components
                    .iter()
                    .filter(|component| component.zone == zone.key)
                {
                    ui.selectable_value(
                        &mut chosen,
                        Some(component.key.clone()),
                        format!("{} ({})", component.name, component.key),
                    );
                }
            }
        });
    if chosen.as_deref() != bound {
        actions.push(Action::BindAsset {
            asset: asset.id().to_owned(),
            component: chosen,
        });
    }
    if let Some(component) = bound.and_then(|key| architecture.component(key)) {
        let zone = architecture
            .zone(&component.zone)
            .map_or(component.zone.as_str(), |zone| zone.name.as_str());
        ui.label(
            RichText::new(format!("In {zone}. {}", component.description))
                .small()
                .weak(),
        );
    } else {
        ui.label(
            RichText::new("Bind the asset to a component to place it in the architecture view.")
                .small()
                .weak(),
        );
    }
}
