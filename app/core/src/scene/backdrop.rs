//! The architecture view's backdrop as geometry, in canvas points: the zones' lanes and one
//! mark for each trust boundary the architecture has, and nothing else. The canvas paints
//! it; this module decides where each boundary goes and what it is called.
//!
//! - A boundary between two neighbouring lanes is a vertical line in the gap between them.
//! - A boundary between two lanes that are not neighbours (vendor remote access reaches the
//!   hospital network from the device cloud, past the carrier) is a bracket above the lanes,
//!   from the middle of one to the middle of the other; several are stacked upwards.
//! - A boundary inside one zone (the cloud service provider's shared infrastructure under the
//!   manufacturer's software service) is a region inside that zone's lane, under its title.

use super::zones::{Lane, TITLE};
use crate::architecture::{Architecture, BoundaryPlace};

/// How far a region inside a lane keeps from the lane's sides and bottom.
const REGION_INSET: f32 = 14.0;
/// How far above the lanes the first bracket runs, and the distance between stacked ones.
const BRACKET_STEP: f32 = 34.0;
/// Room above the highest bracket for its label.
const BRACKET_LABEL: f32 = 24.0;

/// Where a trust boundary is drawn.
#[derive(Debug, Clone, PartialEq)]
pub enum BoundaryShape {
    /// Between two neighbouring lanes: a vertical line at `x` from `top` to `bottom`.
    Line {
        /// The middle of the gap between the lanes.
        x: f32,
        /// The lanes' top.
        top: f32,
        /// The lanes' bottom.
        bottom: f32,
    },
    /// Between two lanes that are not neighbours: a horizontal bracket at `y` (above the
    /// lanes) from `left` to `right`, the middles of the two lanes, with ends reaching down
    /// to the lanes' top at `top`.
    Bracket {
        /// The middle of the left lane.
        left: f32,
        /// The middle of the right lane.
        right: f32,
        /// Where the bracket runs.
        y: f32,
        /// The lanes' top, where its ends point.
        top: f32,
    },
    /// Inside one lane: a region `[x, y, width, height]`.
    Region {
        /// The region's top-left corner and size.
        rect: [f32; 4],
    },
}

/// One trust boundary as the backdrop draws it.
#[derive(Debug, Clone, PartialEq)]
pub struct BoundaryMark {
    /// The boundary's key.
    pub key: String,
    /// Its name: the label drawn with it.
    pub name: String,
    /// Where it is drawn.
    pub shape: BoundaryShape,
}

/// The backdrop of the architecture view: lanes and trust boundaries.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Backdrop {
    /// The lanes, left to right.
    pub lanes: Vec<Lane>,
    /// How far down the lanes reach (their top is at 0).
    pub height: f32,
    /// The architecture's trust boundaries, in its order.
    pub boundaries: Vec<BoundaryMark>,
}

impl Backdrop {
    /// The backdrop of `architecture` with these `lanes` (its zones), `height` points tall.
    /// A boundary naming a zone that has no lane is left out.
    #[must_use]
    pub fn new(architecture: &Architecture, lanes: Vec<Lane>, height: f32) -> Self {
        let index = |key: &str| lanes.iter().position(|lane| lane.key == key);
        let middle = |lane: &Lane| lane.x + lane.width / 2.0;
        let mut brackets = 0_u16;
        let mut boundaries = Vec::new();
        for boundary in &architecture.boundaries {
            let shape = match &boundary.place {
                BoundaryPlace::Between([first, second]) => {
                    let (Some(first), Some(second)) = (index(first), index(second)) else {
                        continue;
                    };
                    let (left, right) = (first.min(second), first.max(second));
                    let (left, right) = (&lanes[left], &lanes[right]);
                    if first.abs_diff(second) == 1 {
                        BoundaryShape::Line {
                            x: (left.x + left.width + right.x) / 2.0,
                            top: 0.0,
                            bottom: height,
                        }
                    } else {
                        brackets += 1;
                        BoundaryShape::Bracket {
                            left: middle(left),
                            right: middle(right),
                            y: -BRACKET_STEP * f32::from(brackets),
                            top: 0.0,
                        }
                    }
                }
                BoundaryPlace::Within { zone, .. } => {
                    let Some(lane) = index(zone).map(|found| &lanes[found]) else {
                        continue;
                    };
                    let top = TITLE - 10.0;
                    BoundaryShape::Region {
                        rect: [
                            lane.x + REGION_INSET,
                            top,
                            (lane.width - 2.0 * REGION_INSET).max(0.0),
                            (height - top - REGION_INSET).max(0.0),
                        ],
                    }
                }
            };
            boundaries.push(BoundaryMark {
                key: boundary.key.clone(),
                name: boundary.name.clone(),
                shape,
            });
        }
        Self {
            lanes,
            height,
            boundaries,
        }
    }

    /// What the backdrop covers, `[left, top, right, bottom]`: the lanes and the brackets
    /// above them with their labels; `None` without lanes.
    #[must_use]
    pub fn bounds(&self) -> Option<[f32; 4]> {
        let (first, last) = (self.lanes.first()?, self.lanes.last()?);
        let top = self
            .boundaries
            .iter()
            .filter_map(|mark| match mark.shape {
                BoundaryShape::Bracket { y, .. } => Some(y - BRACKET_LABEL),
                _ => None,
            })
            .fold(0.0_f32, f32::min);
        Some([first.x, top, last.x + last.width, self.height])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::architecture::Boundary;
    use crate::scene::zones::lanes;

    fn shapes(backdrop: &Backdrop) -> Vec<(&str, &str, &BoundaryShape)> {
        backdrop
            .boundaries
            .iter()
            .map(|mark| (mark.key.as_str(), mark.name.as_str(), &mark.shape))
            .collect()
    }

    #[test]
    fn the_reference_draws_each_of_its_boundaries_and_nothing_else() {
        let reference = Architecture::reference();
        let backdrop = Backdrop::new(&reference, lanes(&reference), 800.0);
        let line = |x| BoundaryShape::Line {
            x,
            top: 0.0,
            bottom: 800.0,
        };
        assert_eq!(
            shapes(&backdrop),
            [
                (
                    "or-hospital",
                    "Operating room ↔ hospital network",
                    &line(330.0)
                ),
                (
                    "hospital-carrier",
                    "Hospital network ↔ carrier",
                    &line(690.0)
                ),
                ("carrier-cloud", "Carrier ↔ device cloud", &line(1050.0)),
                (
                    "cloud-ehr",
                    "Device cloud ↔ EHR vendor cloud",
                    &line(1690.0)
                ),
                (
                    "vendor-remote-access",
                    "Vendor remote access into the hospital network",
                    // From the middle of the hospital network to the middle of the device
                    // cloud, above the lanes: the carrier lies between them.
                    &BoundaryShape::Bracket {
                        left: 510.0,
                        right: 1370.0,
                        y: -34.0,
                        top: 0.0
                    }
                ),
                (
                    "csp-shared-infrastructure",
                    "CSP's shared infrastructure under the MDM's SaaS",
                    // Inside the device cloud's lane (x 1080, 580 wide), under its title.
                    &BoundaryShape::Region {
                        rect: [1094.0, 40.0, 552.0, 746.0]
                    }
                ),
            ]
        );
        assert_eq!(backdrop.bounds(), Some([0.0, -58.0, 2020.0, 800.0]));
    }

    #[test]
    fn an_architecture_without_boundaries_draws_none_between_its_lanes() {
        let mut architecture = Architecture::reference();
        architecture.boundaries.clear();
        let backdrop = Backdrop::new(&architecture, lanes(&architecture), 500.0);
        assert_eq!(backdrop.boundaries, []);
        assert_eq!(backdrop.lanes.len(), 5);
        assert_eq!(backdrop.bounds(), Some([0.0, 0.0, 2020.0, 500.0]));
    }

    #[test]
    fn boundaries_follow_the_data_in_any_order_and_skip_unknown_zones() {
        let mut architecture = Architecture::reference();
        let boundary = |key: &str, place| Boundary {
            key: key.to_owned(),
            name: key.to_uppercase(),
            place,
            description: String::new(),
        };
        let between =
            |first: &str, second: &str| BoundaryPlace::Between([first.into(), second.into()]);
        architecture.boundaries = vec![
            // Named right to left: still the gap between the two lanes.
            boundary("ehr-or", between("ehr-cloud", "operating-room")),
            boundary(
                "cloud-hospital",
                between("device-cloud", "hospital-network"),
            ),
            boundary(
                "carrier-hospital",
                between("carrier-network", "hospital-network"),
            ),
            boundary("attic", between("attic", "operating-room")),
            boundary(
                "or-inner",
                BoundaryPlace::Within {
                    zone: "operating-room".into(),
                    around: vec!["robot".into()],
                },
            ),
        ];
        let backdrop = Backdrop::new(&architecture, lanes(&architecture), 300.0);
        assert_eq!(
            shapes(&backdrop),
            [
                (
                    "ehr-or",
                    "EHR-OR",
                    &BoundaryShape::Bracket {
                        left: 150.0,
                        right: 1870.0,
                        y: -34.0,
                        top: 0.0
                    }
                ),
                (
                    "cloud-hospital",
                    "CLOUD-HOSPITAL",
                    &BoundaryShape::Bracket {
                        left: 510.0,
                        right: 1370.0,
                        y: -68.0,
                        top: 0.0
                    }
                ),
                (
                    "carrier-hospital",
                    "CARRIER-HOSPITAL",
                    &BoundaryShape::Line {
                        x: 690.0,
                        top: 0.0,
                        bottom: 300.0
                    }
                ),
                (
                    "or-inner",
                    "OR-INNER",
                    &BoundaryShape::Region {
                        rect: [14.0, 40.0, 272.0, 246.0]
                    }
                ),
            ]
        );
        assert_eq!(backdrop.bounds(), Some([0.0, -92.0, 2020.0, 300.0]));
    }
}
