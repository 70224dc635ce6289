//! The words a node shows: its kind, its title, the lines under it, and the Attack Flow
//! confidence scale.

use crate::attack::Catalog;
use crate::control::{control_entry, is_control};
use crate::model::StixObject;

/// The Attack Flow confidence scale, lowest first: each word with the value the editor
/// writes for it.
pub const CONFIDENCE_SCALE: [(&str, u8); 7] = [
    ("Speculative", 0),
    ("Very doubtful", 10),
    ("Doubtful", 30),
    ("Even odds", 50),
    ("Probable", 70),
    ("Very probable", 90),
    ("Certain", 100),
];

/// The Attack Flow word for a confidence value (0–100).
#[must_use]
pub fn confidence_word(value: u8) -> &'static str {
    match value {
        0..=4 => "Speculative",
        5..=19 => "Very doubtful",
        20..=39 => "Doubtful",
        40..=59 => "Even odds",
        60..=79 => "Probable",
        80..=94 => "Very probable",
        _ => "Certain",
    }
}

/// A node's kind as shown on it: `Action`, `Asset`, `OR`, `Control (detect)`,
/// `infrastructure`, …
#[must_use]
pub fn kind_label(object: &StixObject) -> String {
    match object {
        StixObject::AttackFlow(_) => "Flow".to_owned(),
        StixObject::AttackAction(_) => "Action".to_owned(),
        StixObject::AttackAsset(_) => "Asset".to_owned(),
        StixObject::AttackCondition(_) => "Condition".to_owned(),
        StixObject::AttackOperator(operator) => operator
            .operator
            .map_or("Operator", |operator| operator.as_str())
            .to_owned(),
        StixObject::Other(_) if is_control(object) => {
            match control_entry(object).and_then(|entry| entry.get("kind")?.as_str()) {
                Some(kind) => format!("Control ({kind})"),
                None => "Control".to_owned(),
            }
        }
        StixObject::Other(other) => other.type_name().to_owned(),
    }
}

/// A node's main text: its name, or what stands for one (a condition's description, an
/// observable's value, a note's content, …); `(unnamed)` when there is none.
#[must_use]
pub fn title(object: &StixObject) -> String {
    let text = match object {
        StixObject::AttackFlow(flow) => flow.name.clone(),
        StixObject::AttackAction(action) => action.name.clone(),
        StixObject::AttackAsset(asset) => asset.name.clone(),
        StixObject::AttackCondition(condition) => condition.description.clone(),
        StixObject::AttackOperator(operator) => operator
            .operator
            .map(|operator| format!("{} operator", operator.as_str())),
        StixObject::Other(other) => ["name", "value", "user_id", "command_line", "content"]
            .iter()
            .find_map(|key| other.string(key))
            .map(str::to_owned),
    };
    text.filter(|text| !text.trim().is_empty())
        .unwrap_or_else(|| "(unnamed)".to_owned())
}

/// "Action: Valid Accounts": what people call an object in lists and messages.
#[must_use]
pub fn subject(object: &StixObject) -> String {
    format!("{}: {}", kind_label(object), title(object))
}

/// The most characters a node's line holds; longer text is cut with an ellipsis.
pub const NODE_LINE_CHARACTERS: usize = 44;

/// Text on one line (runs of white space made one space), cut to what fits on a node.
#[must_use]
pub fn short_text(text: &str) -> String {
    let single_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if single_line.chars().count() <= NODE_LINE_CHARACTERS {
        single_line
    } else {
        let kept: String = single_line.chars().take(NODE_LINE_CHARACTERS - 1).collect();
        format!("{}…", kept.trim_end())
    }
}

/// The lines under a node's title: an action's technique and tactic (with their names in
/// `catalog`), then any object's confidence in words.
#[must_use]
pub fn detail_lines(object: &StixObject, catalog: &Catalog) -> Vec<String> {
    let mut lines = Vec::new();
    if let StixObject::AttackAction(action) = object {
        if let Some(technique) = &action.technique_id {
            let name = catalog
                .technique(technique)
                .map_or(String::new(), |entry| format!(" {}", entry.name));
            lines.push(format!("{technique}{name}"));
        }
        if let Some(tactic) = &action.tactic_id {
            let name = catalog
                .tactic(tactic)
                .map_or(String::new(), |entry| format!(" {}", entry.name));
            lines.push(format!("{tactic}{name}"));
        }
    }
    if let Some(confidence) = object.common().and_then(|common| common.confidence) {
        lines.push(format!(
            "Confidence: {} ({confidence})",
            confidence_word(confidence)
        ));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_of_the_scale_names_its_own_value() {
        for (word, value) in CONFIDENCE_SCALE {
            assert_eq!(confidence_word(value), word);
        }
        assert_eq!(confidence_word(65), "Probable");
    }
}
