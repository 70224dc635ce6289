//! Which domain the technique picker offers first: MITRE ATLAS for an action on a
//! machine-learning component, else the domain most of the flow's techniques belong to.

use medflow_core::attack::Catalog;

/// The domain the technique picker ranks first for action `action`: MITRE ATLAS when one of
/// its assets is bound to a component that runs machine-learning models (and the catalog
/// holds ATLAS), else the domain of the flow's techniques.
pub(crate) fn preferred_domain(
    document: &medflow_core::Document,
    action: &str,
    catalog: &Catalog,
) -> medflow_core::attack::Domain {
    use medflow_core::architecture::{MACHINE_LEARNING_COMPONENTS, bound_component};
    use medflow_core::attack::Domain;
    let on_ml = match document.object(action) {
        Some(medflow_core::StixObject::AttackAction(found)) => found
            .asset_refs
            .iter()
            .flatten()
            .filter_map(|asset| document.object(asset))
            .filter_map(|asset| bound_component(document, asset))
            .any(|key| MACHINE_LEARNING_COMPONENTS.contains(&key)),
        _ => false,
    };
    let has_atlas = catalog
        .domains()
        .iter()
        .any(|info| info.domain == Domain::Atlas);
    if on_ml && has_atlas {
        Domain::Atlas
    } else {
        flow_domain(document, catalog)
    }
}

/// The ATT&CK domain most of the flow's techniques belong to (Enterprise when it has none),
/// which the technique picker ranks first.
fn flow_domain(
    document: &medflow_core::Document,
    catalog: &Catalog,
) -> medflow_core::attack::Domain {
    use medflow_core::attack::Domain;
    let mut counts: std::collections::BTreeMap<Domain, usize> = std::collections::BTreeMap::new();
    for object in &document.objects {
        if let medflow_core::StixObject::AttackAction(action) = object
            && let Some(entry) = action
                .technique_id
                .as_deref()
                .and_then(|id| catalog.technique(id))
        {
            *counts.entry(entry.domain).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|(domain, count)| (*count, *domain == Domain::Enterprise))
        .map_or(Domain::Enterprise, |(domain, _)| domain)
}

#[cfg(test)]
mod tests {
    use medflow_core::architecture::{Architecture, bind_asset};
    use medflow_core::attack::{Catalog, Domain};
    use medflow_core::edit::{Command, Editor, NewObject, new_object};
    use medflow_core::flow::FlowLink;
    use medflow_core::model::Timestamp;

    use super::preferred_domain;

    /// A new flow whose action works on an asset bound to component `key`.
    fn action_on(key: &str) -> (Editor, String) {
        let mut editor = Editor::new_flow("ML");
        let action = editor
            .document()
            .first_of_type("attack-action")
            .map(|found| found.id().to_owned());
        let (action, asset) = (action.unwrap(), editor.new_id("attack-asset"));
        let now = Timestamp::parse("2026-12-02T00:00:00.000Z")
            .unwrap()
            .timestamp;
        editor
            .apply(
                "Add asset",
                vec![
                    Command::AddObject {
                        object: new_object(NewObject::Asset, &asset, &now),
                        position: None,
                    },
                    Command::Connect {
                        source: action.clone(),
                        link: FlowLink::Asset,
                        target: asset.clone(),
                    },
                ],
            )
            .unwrap();
        let commands = bind_asset(
            editor.document(),
            &asset,
            Architecture::reference_static(),
            Architecture::reference_document(),
            key,
        );
        editor.apply("Bind", commands).unwrap();
        (editor, action)
    }

    #[test]
    fn an_action_on_a_machine_learning_component_is_offered_atlas_first() {
        let catalog = Catalog::embedded();
        let (editor, action) = action_on("ml");
        assert_eq!(
            preferred_domain(editor.document(), &action, catalog),
            Domain::Atlas
        );
        let (editor, action) = action_on("console");
        assert_eq!(
            preferred_domain(editor.document(), &action, catalog),
            Domain::Enterprise
        );
    }
}
