//! The flows a selected pivot may continue in or come from, for the inspector.

use super::EditorApp;
use crate::actions::Action;
use crate::panels;

impl EditorApp {
    /// When the selected object is a pivot: the other flows (other tabs first, then the
    /// library's flows no tab holds), with their pivots.
    pub(super) fn pivot_flows(&self) -> Vec<panels::safety::PivotFlow> {
        let Some(tab) = self.tabs.get(self.active) else {
            return Vec::new();
        };
        let is_pivot = tab.selected_object().is_some_and(|object| {
            medflow_core::extension::entry(object, medflow_core::extension::Entry::Pivot).is_some()
        });
        if !is_pivot {
            return Vec::new();
        }
        let own = tab.document().flow().map(|flow| flow.common.id.clone());
        let mut flows: Vec<panels::safety::PivotFlow> = Vec::new();
        let mut seen: Vec<String> = own.into_iter().collect();
        let describe = |document: &medflow_core::Document, open: Action| {
            let flow = document.flow()?;
            Some(panels::safety::PivotFlow {
                flow: flow.common.id.clone(),
                name: flow.name.clone().unwrap_or_else(|| flow.common.id.clone()),
                pivots: medflow_core::safety::pivots(document)
                    .into_iter()
                    .map(|(_, pivot)| pivot)
                    .collect(),
                open,
            })
        };
        for (index, other) in self.tabs.iter().enumerate() {
            if let Some(flow) = describe(other.document(), Action::SelectTab(index))
                && !seen.contains(&flow.flow)
            {
                seen.push(flow.flow.clone());
                flows.push(flow);
            }
        }
        for (source, document) in &self.library.flows {
            if let Some(flow) = describe(document, source.open())
                && !seen.contains(&flow.flow)
            {
                seen.push(flow.flow.clone());
                flows.push(flow);
            }
        }
        flows
    }
}
