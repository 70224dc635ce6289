//! The device score: 100 minus what each reachable impact costs, weighted by severity and
//! multi-patient harm. The formula (README.md beside this file) is part of the product's
//! promise: two devices scored by two releases compare.

use std::collections::BTreeSet;

use super::{Model, Simulation};
use crate::safety::{HarmSeverity, Impact};

/// An impact's weight: 1, 2, 4, 8, 16 from negligible to catastrophic, doubled for
/// multi-patient harm.
#[must_use]
pub fn severity_weight(severity: HarmSeverity, multi_patient: bool) -> u32 {
    let base = match severity {
        HarmSeverity::Negligible => 1,
        HarmSeverity::Minor => 2,
        HarmSeverity::Serious => 4,
        HarmSeverity::Critical => 8,
        HarmSeverity::Catastrophic => 16,
    };
    if multi_patient { base * 2 } else { base }
}

/// What one reachable impact costs the score, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Deduction {
    /// The `attack-flow` id.
    pub flow: String,
    /// The flow's name.
    pub flow_name: String,
    /// The action with the impact.
    pub action_id: String,
    /// Its name.
    pub action_name: String,
    /// The impact.
    pub impact: Impact,
    /// The impact's weight.
    pub weight: u32,
    /// Points taken off (one decimal).
    pub points: f64,
    /// Whether the best path has a detection opportunity (half the points are then kept).
    pub detected: bool,
    /// The best path's actions.
    pub path: Vec<String>,
    /// Prevent controls not implemented that address an action of the path: any one of them
    /// breaks this path.
    pub missing_controls: Vec<String>,
}

/// The score and its explanation.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    /// 0 to 100, one decimal.
    pub score: f64,
    /// The sum of all impacts' weights (reachable or not).
    pub total_weight: u32,
    /// The impacts counted.
    pub impacts: usize,
    /// One per reachable impact, largest first (then in step order).
    pub deductions: Vec<Deduction>,
}

/// Rounds to one decimal.
fn tenth(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// The score of a simulation.
#[must_use]
pub fn score(model: &Model, simulation: &Simulation) -> Score {
    let total_weight: u32 = simulation
        .impacts
        .iter()
        .map(|result| severity_weight(result.impact.severity, result.impact.multi_patient))
        .sum();
    let mut lost_halves = 0_u64;
    let mut deductions: Vec<(u64, usize, Deduction)> = Vec::new();
    for result in simulation.impacts.iter().filter(|result| result.reachable) {
        let weight = severity_weight(result.impact.severity, result.impact.multi_patient);
        let detected = result.detections > 0;
        let halves = u64::from(weight) * if detected { 1 } else { 2 };
        lost_halves += halves;
        let missing: BTreeSet<String> = result
            .path_steps
            .iter()
            .flat_map(|&step| model.steps[step].prevent.iter())
            .filter(|&&control| !simulation.run.implemented[control])
            .map(|&control| model.controls[control].id.clone())
            .collect();
        #[allow(clippy::cast_precision_loss, reason = "weights are small integers")]
        let points = tenth(100.0 * halves as f64 / (2.0 * f64::from(total_weight)));
        deductions.push((
            halves,
            result.step,
            Deduction {
                flow: result.flow.clone(),
                flow_name: result.flow_name.clone(),
                action_id: result.action_id.clone(),
                action_name: result.action_name.clone(),
                impact: result.impact.clone(),
                weight,
                points,
                detected,
                path: result.path.clone(),
                missing_controls: missing.into_iter().collect(),
            },
        ));
    }
    deductions.sort_by_key(|(halves, step, _)| (std::cmp::Reverse(*halves), *step));
    #[allow(clippy::cast_precision_loss, reason = "weights are small integers")]
    let score = if total_weight == 0 {
        100.0
    } else {
        tenth(100.0 - 100.0 * lost_halves as f64 / (2.0 * f64::from(total_weight)))
    };
    Score {
        score,
        total_weight,
        impacts: simulation.impacts.len(),
        deductions: deductions
            .into_iter()
            .map(|(_, _, deduction)| deduction)
            .collect(),
    }
}
