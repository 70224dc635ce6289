//! Rules that need the ATT&CK catalog (and MITRE ATLAS, when the catalog holds it): technique
//! and tactic ids well formed, known, current, consistent with each other and with their
//! `*_ref` properties.

use crate::attack::ids::{is_tactic_id, is_technique_id};
use crate::attack::{Catalog, Domain, Entry};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{AttackAction, Document, StixObject};

pub(crate) fn check_attack(document: &Document, catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    for object in &document.objects {
        if let StixObject::AttackAction(action) = object {
            check_action(action, catalog, out);
        }
    }
}

/// `AML.T0051`, `AML.T0051.001`, `AML.TA0002`: MITRE ATLAS ids.
fn is_atlas_id(text: &str) -> bool {
    text.strip_prefix("AML.")
        .is_some_and(|rest| is_technique_id(rest) || is_tactic_id(rest))
}

/// Whether the catalog holds MITRE ATLAS (then ATLAS ids are checked like ATT&CK ids).
fn knows_atlas(catalog: &Catalog) -> bool {
    catalog
        .domains()
        .iter()
        .any(|info| info.domain == Domain::Atlas)
}

/// The knowledge base an id belongs to, for messages: `ATLAS` for `AML.` ids, else `ATT&CK`.
fn base_of(id: &str) -> &'static str {
    if id.starts_with("AML.") {
        "ATLAS"
    } else {
        "ATT&CK"
    }
}

/// Whether `text` is an id of another knowledge base than ATT&CK and ATLAS (`F3`, `FGT5019`,
/// `CAPEC-66`): letters then letters, digits and `.`/`-` separators, with a digit, not shaped
/// like an ATT&CK id (`T` and a digit, any case) or an ATLAS one (`AML`).
fn other_namespace(text: &str) -> bool {
    let text = text.trim();
    let mut chars = text.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    // `T1078`, `t1078`, `TA0001`, `ta01`: ATT&CK's shape, however mistyped.
    let attack_shaped = first.eq_ignore_ascii_case(&'t')
        && chars
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c.eq_ignore_ascii_case(&'a'));
    let atlas_shaped = text
        .get(..3)
        .is_some_and(|start| start.eq_ignore_ascii_case("AML"));
    first.is_ascii_alphabetic()
        && !attack_shaped
        && !atlas_shaped
        && text.bytes().any(|byte| byte.is_ascii_digit())
        && text
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'-'))
}

/// Notes a `property` value that is another knowledge base's id (a warning: Attack Flow
/// allows any string there) and says whether it was one.
fn noted_as_other_namespace(
    property: &str,
    value: &str,
    object: &str,
    out: &mut Vec<Diagnostic>,
) -> bool {
    if !other_namespace(value) {
        return false;
    }
    out.push(Diagnostic::object(
        Code::AttackIdOtherNamespace,
        object.to_owned(),
        format!(
            "{property} {value:?} is neither an ATT&CK nor an ATLAS id (another knowledge \
             base's?); it is not checked"
        ),
    ));
    true
}

/// The id inside a label as the Attack Flow Builder writes it, `[ATL] AML.T0095.000 Code
/// Repositories`: some of MITRE's own flows carry the label in `technique_id`.
fn id_in_builder_label(text: &str) -> Option<&str> {
    let (tag, rest) = text.trim().strip_prefix('[')?.split_once(']')?;
    if !matches!(tag, "ENT" | "MOB" | "ICS" | "ATL") {
        return None;
    }
    let id = rest.split_whitespace().next()?;
    (is_technique_id(id) || is_tactic_id(id) || is_atlas_id(id)).then_some(id)
}

/// `T1078 Valid Accounts`.
pub(super) fn label(entry: &Entry) -> String {
    format!("{} {}", entry.id, entry.name)
}

/// `ATT&CK Enterprise 18.1`.
pub(super) fn release(catalog: &Catalog, entry: &Entry) -> String {
    let version = catalog
        .domains()
        .iter()
        .find(|info| info.domain == entry.domain)
        .map_or("", |info| &*info.attack_version);
    format!("ATT&CK {} {version}", entry.domain.title())
}

fn check_action(action: &AttackAction, catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    let id = action.common.id.as_str();
    let push = |out: &mut Vec<Diagnostic>, code: Code, message: String| {
        out.push(Diagnostic::object(code, id.to_owned(), message));
    };
    let technique = action
        .technique_id
        .as_deref()
        .and_then(|technique_id| check_technique(action, technique_id, catalog, out));
    let tactic = action.tactic_id.as_deref().and_then(|tactic_id| {
        check_tactic(
            action,
            tactic_id,
            technique.map(|technique| technique.domain),
            catalog,
            out,
        )
    });
    if let (Some(technique), Some(tactic)) = (technique, tactic)
        && !technique.revoked
        && !technique.tactics.contains(&tactic.id)
    {
        let tactics: Vec<String> = technique
            .tactics
            .iter()
            .map(|own| {
                catalog
                    .entry(own, Some(technique.domain))
                    .map_or_else(|| own.to_string(), label)
            })
            .collect();
        // Paired as the earlier release had it: the release moved the technique.
        if technique.earlier_tactics.contains(&tactic.id) {
            let info = catalog
                .domains()
                .iter()
                .find(|info| info.domain == technique.domain);
            let earlier = info
                .and_then(|info| info.mitigations_version.as_deref())
                .unwrap_or("an earlier release");
            let current = info.map_or("", |info| &*info.attack_version);
            let split = if tactic.id == "TA0005" && technique.tactics.iter().any(|t| t == "TA0112")
            {
                " (ATT&CK 19 split Defense Evasion into Stealth, TA0005, and Defense \
                 Impairment, TA0112)"
            } else {
                ""
            };
            push(
                out,
                Code::AttackTacticChanged,
                format!(
                    "{} was in tactic {} in ATT&CK {earlier}; ATT&CK {current} has it in {}{split}",
                    label(technique),
                    tactic.id,
                    tactics.join(", ")
                ),
            );
            return;
        }
        push(
            out,
            Code::AttackTechniqueNotInTactic,
            format!(
                "{} is not in tactic {}; its tactics are {}",
                label(technique),
                label(tactic),
                if tactics.is_empty() {
                    "none".to_owned()
                } else {
                    tactics.join(", ")
                }
            ),
        );
    }
}

fn check_technique<'c>(
    action: &AttackAction,
    technique_id: &str,
    catalog: &'c Catalog,
    out: &mut Vec<Diagnostic>,
) -> Option<&'c Entry> {
    let id = action.common.id.clone();
    if let Some(inner) = id_in_builder_label(technique_id) {
        out.push(Diagnostic::object(
            Code::AttackIdIsLabel,
            id.clone(),
            format!(
                "technique_id {technique_id:?} is the Attack Flow Builder's label; write the \
                 id, {inner}"
            ),
        ));
        return check_technique(action, inner, catalog, out);
    }
    if is_atlas_id(technique_id) && !knows_atlas(catalog) {
        out.push(Diagnostic::object(
            Code::AttackAtlasId,
            id,
            format!("technique_id {technique_id} is a MITRE ATLAS id; ATT&CK rules do not apply"),
        ));
        return None;
    }
    if !is_technique_id(technique_id) && !is_atlas_id(technique_id) {
        if noted_as_other_namespace("technique_id", technique_id, &id, out) {
            return None;
        }
        let upper = technique_id.trim().to_ascii_uppercase();
        let hint = if is_technique_id(&upper) {
            format!("; did you mean {upper}?")
        } else {
            String::new()
        };
        out.push(Diagnostic::object(
            Code::AttackTechniqueMalformed,
            id,
            format!(
                "technique_id {technique_id:?} is not an ATT&CK technique id (T and four digits, \
                 then .NNN for a sub-technique){hint}"
            ),
        ));
        return None;
    }
    let Some(technique) = catalog.technique(technique_id) else {
        out.push(Diagnostic::object(
            Code::AttackTechniqueUnknown,
            id,
            format!(
                "technique {technique_id} is not in the {} catalog",
                base_of(technique_id)
            ),
        ));
        return None;
    };
    if technique.revoked {
        let replacement = catalog.replacement(technique).map_or_else(
            || "ATT&CK names no replacement".to_owned(),
            |replacement| format!("use {} instead", label(replacement)),
        );
        out.push(Diagnostic::object(
            Code::AttackTechniqueRevoked,
            id.clone(),
            format!(
                "{} is revoked in {}; {replacement}",
                label(technique),
                release(catalog, technique)
            ),
        ));
    } else if technique.deprecated {
        out.push(Diagnostic::object(
            Code::AttackTechniqueDeprecated,
            id.clone(),
            format!(
                "{} is deprecated in {}",
                label(technique),
                release(catalog, technique)
            ),
        ));
    }
    if let Some(reference) = action.technique_ref.as_deref()
        && reference != technique.stix_id
    {
        let pointed = catalog
            .by_stix_id(reference)
            .map_or_else(|| "no ATT&CK technique".to_owned(), label);
        out.push(Diagnostic::object(
            Code::AttackTechniqueRefMismatch,
            id,
            format!(
                "technique_ref {reference} is {pointed}, but technique_id is {}, whose id is {}",
                label(technique),
                technique.stix_id
            ),
        ));
    }
    Some(technique)
}

fn check_tactic<'c>(
    action: &AttackAction,
    tactic_id: &str,
    technique_domain: Option<Domain>,
    catalog: &'c Catalog,
    out: &mut Vec<Diagnostic>,
) -> Option<&'c Entry> {
    let id = action.common.id.clone();
    // Attack Flow allows a tactic's short name (`initial-access`) in place of its id; it is
    // read in the technique's domain, else the first domain that has it.
    if !is_tactic_id(tactic_id) {
        let domains = technique_domain
            .into_iter()
            .chain(Domain::ALL)
            .collect::<Vec<_>>();
        if let Some(tactic) = domains
            .into_iter()
            .find_map(|domain| catalog.tactic_by_shortname(domain, tactic_id))
        {
            return Some(tactic);
        }
    }
    if let Some(inner) = id_in_builder_label(tactic_id) {
        out.push(Diagnostic::object(
            Code::AttackIdIsLabel,
            id.clone(),
            format!(
                "tactic_id {tactic_id:?} is the Attack Flow Builder's label; write the id, \
                 {inner}"
            ),
        ));
        return check_tactic(action, inner, technique_domain, catalog, out);
    }
    if is_atlas_id(tactic_id) && !knows_atlas(catalog) {
        out.push(Diagnostic::object(
            Code::AttackAtlasId,
            id,
            format!("tactic_id {tactic_id} is a MITRE ATLAS id; ATT&CK rules do not apply"),
        ));
        return None;
    }
    if !is_tactic_id(tactic_id) && !is_atlas_id(tactic_id) {
        if noted_as_other_namespace("tactic_id", tactic_id, &id, out) {
            return None;
        }
        out.push(Diagnostic::object(
            Code::AttackTacticMalformed,
            id,
            format!(
                "tactic_id {tactic_id:?} is neither an ATT&CK tactic id (TA and four digits) \
                 nor a tactic's short name (such as initial-access)"
            ),
        ));
        return None;
    }
    let Some(tactic) = catalog.tactic(tactic_id) else {
        out.push(Diagnostic::object(
            Code::AttackTacticUnknown,
            id,
            format!(
                "tactic {tactic_id} is not in the {} catalog",
                base_of(tactic_id)
            ),
        ));
        return None;
    };
    if !tactic.is_active() {
        out.push(Diagnostic::object(
            Code::AttackTacticDeprecated,
            id.clone(),
            format!(
                "{} is deprecated in {}",
                label(tactic),
                release(catalog, tactic)
            ),
        ));
    }
    if let Some(reference) = action.tactic_ref.as_deref()
        && reference != tactic.stix_id
    {
        let pointed = catalog
            .by_stix_id(reference)
            .map_or_else(|| "no ATT&CK tactic".to_owned(), label);
        out.push(Diagnostic::object(
            Code::AttackTacticRefMismatch,
            id,
            format!(
                "tactic_ref {reference} is {pointed}, but tactic_id is {}, whose id is {}",
                label(tactic),
                tactic.stix_id
            ),
        ));
    }
    Some(tactic)
}

#[cfg(test)]
mod tests {
    use super::other_namespace;

    #[test]
    fn ids_of_other_knowledge_bases_are_told_from_malformed_attack_ids() {
        for other in ["F3", "FGT5019", "CAPEC-66", "D3-AL1", "F3.T0001"] {
            assert!(other_namespace(other), "{other}");
        }
        for not_other in [
            "T123",
            "t1078",
            "TXXXX",
            "TA01",
            "ta0001",
            "AML.T99",
            "aml.t0020",
            "de",
            "",
            "T1078 x",
            "ÄÖ1",
            "é",
        ] {
            assert!(!other_namespace(not_other), "{not_other}");
        }
    }
}
