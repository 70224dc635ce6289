//! The syntax of ATT&CK ids (`T1078`, `T1078.004`, `TA0001`, `M1051`, `DET0001`, `DC0001`)
//! and of MITRE ATLAS ids (`AML.T0020`, `AML.T0000.000`, `AML.TA0002`).

/// True for `T` followed by four digits, optionally `.` and three more (a sub-technique).
#[must_use]
pub fn is_technique_id(text: &str) -> bool {
    let Some(rest) = text.strip_prefix('T') else {
        return false;
    };
    match rest.split_once('.') {
        Some((base, sub)) => all_digits(base, 4) && all_digits(sub, 3),
        None => all_digits(rest, 4),
    }
}

/// True for `TA` followed by four digits.
#[must_use]
pub fn is_tactic_id(text: &str) -> bool {
    text.strip_prefix("TA")
        .is_some_and(|rest| all_digits(rest, 4))
}

/// True for `M` followed by four digits.
#[must_use]
pub fn is_mitigation_id(text: &str) -> bool {
    text.strip_prefix('M')
        .is_some_and(|rest| all_digits(rest, 4))
}

/// True for `DET` followed by four digits.
#[must_use]
pub fn is_detection_strategy_id(text: &str) -> bool {
    text.strip_prefix("DET")
        .is_some_and(|rest| all_digits(rest, 4))
}

/// True for an ATLAS technique or sub-technique id: `AML.` and an ATT&CK-shaped technique id
/// (`AML.T0020`, `AML.T0000.000`).
#[must_use]
pub fn is_atlas_technique_id(text: &str) -> bool {
    text.strip_prefix("AML.").is_some_and(is_technique_id)
}

/// True for an ATLAS tactic id: `AML.TA` and four digits (`AML.TA0002`).
#[must_use]
pub fn is_atlas_tactic_id(text: &str) -> bool {
    text.strip_prefix("AML.").is_some_and(is_tactic_id)
}

/// The parent of a sub-technique id (`T1078.004` → `T1078`).
#[must_use]
pub fn parent_technique_id(text: &str) -> Option<&str> {
    text.split_once('.')
        .map(|(base, _)| base)
        .filter(|base| is_technique_id(base))
}

fn all_digits(text: &str, count: usize) -> bool {
    text.len() == count && text.bytes().all(|byte| byte.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn technique_ids() {
        for good in ["T1078", "T1078.004", "T0826", "T1499.001"] {
            assert!(is_technique_id(good), "{good}");
        }
        for bad in [
            "TXXXX",
            "T1499.00",
            "T1499.0001",
            "T149",
            "t1078",
            "TA0001",
            "T1078.",
            "",
        ] {
            assert!(!is_technique_id(bad), "{bad}");
        }
        assert_eq!(parent_technique_id("T1078.004"), Some("T1078"));
        assert_eq!(parent_technique_id("T1078"), None);
    }

    #[test]
    fn other_ids() {
        assert!(is_tactic_id("TA0001") && is_tactic_id("TA0111"));
        assert!(!is_tactic_id("TA008") && !is_tactic_id("TA00010") && !is_tactic_id("T0001"));
        assert!(is_mitigation_id("M1051") && !is_mitigation_id("M105"));
        assert!(is_detection_strategy_id("DET0001") && !is_detection_strategy_id("DE0001"));
        assert!(is_atlas_technique_id("AML.T0020") && is_atlas_technique_id("AML.T0000.000"));
        assert!(!is_atlas_technique_id("T0020") && !is_atlas_technique_id("AML.TA0002"));
        assert!(is_atlas_tactic_id("AML.TA0002") && !is_atlas_tactic_id("AML.T0002"));
    }
}
