//! Folding a laid-out component whose layers run much longer than it is wide into bands set
//! side by side (columns for top to bottom, rows for left to right), cut between layers, so a
//! long chain of steps fits a screen instead of running off it.

use super::auto::Direction;

/// Folds a laid-out component (`corners`: main and cross position of each node) into bands
/// cut between layers and set side by side across, each band moved to start where the
/// previous one ends, with as many bands as bring the picture nearest `aspect`
/// (width / height). One band (no folding) when that is nearest already.
pub(super) fn fold(
    corners: &mut [[f64; 2]],
    main: &[f64],
    cross: &[f64],
    band_gap: f64,
    aspect: f32,
    direction: Direction,
) {
    /// Most bands tried.
    const MAX_BANDS: usize = 48;
    /// A component of fewer layers is never folded: it reads in one piece.
    const MIN_LAYERS: usize = 10;
    let aspect = f64::from(aspect);
    if corners.is_empty() || !aspect.is_finite() || aspect <= 0.0 {
        return;
    }
    // The picture's cross-to-main ratio wanted: width / height for top to bottom.
    let wanted = match direction {
        Direction::TopToBottom => aspect,
        Direction::LeftToRight => 1.0 / aspect,
    };
    let layers = layer_extents(corners, main, cross);
    if layers.len() < MIN_LAYERS {
        return;
    }
    let main_low = layers[0].0;
    let main_length = layers
        .iter()
        .map(|layer| layer.1)
        .fold(f64::NEG_INFINITY, f64::max)
        - main_low;
    // The layers each band starts at, for `bands` bands of about equal length.
    let cut = |bands: usize| -> Vec<usize> {
        let length = main_length / to_f64(bands);
        let mut starts = vec![0];
        for (index, layer) in layers.iter().enumerate().skip(1) {
            let band_start = layers[*starts.last().unwrap_or(&0)].0;
            if layer.0 - band_start >= length - 1e-6 {
                starts.push(index);
            }
        }
        starts
    };
    // Width and height of the picture with the bands starting at `starts`, and each band's
    // cross offset (added to its nodes) and main offset (taken from them).
    let measure = |starts: &[usize]| -> (f64, f64, Vec<(f64, f64)>) {
        let mut offsets = Vec::with_capacity(starts.len());
        let (mut width, mut height) = (0.0_f64, 0.0_f64);
        for (band, &first) in starts.iter().enumerate() {
            let last = starts.get(band + 1).copied().unwrap_or(layers.len());
            let span = &layers[first..last];
            let low = span
                .iter()
                .map(|layer| layer.2)
                .fold(f64::INFINITY, f64::min);
            let high = span
                .iter()
                .map(|layer| layer.3)
                .fold(f64::NEG_INFINITY, f64::max);
            let end = span
                .iter()
                .map(|layer| layer.1)
                .fold(f64::NEG_INFINITY, f64::max);
            if band > 0 {
                width += band_gap;
            }
            offsets.push((width - low, span[0].0 - main_low));
            width += high - low;
            height = height.max(end - span[0].0);
        }
        (width, height, offsets)
    };
    let distance = |width: f64, height: f64| (width / height.max(1.0) / wanted).ln().abs();
    let one = vec![0];
    let (width, height, _) = measure(&one);
    let mut best = (distance(width, height), one);
    for bands in 2..=MAX_BANDS.min(layers.len()) {
        let starts = cut(bands);
        let (width, height, _) = measure(&starts);
        let score = distance(width, height);
        if score < best.0 {
            best = (score, starts);
        }
    }
    let starts = best.1;
    if starts.len() < 2 {
        return;
    }
    let (_, _, offsets) = measure(&starts);
    for corner in corners.iter_mut() {
        // The layers are sorted by their start: the node's is found by bisection.
        let layer = layers
            .partition_point(|layer| layer.0 < corner[0] - 1e-6)
            .min(layers.len() - 1);
        let band = starts
            .iter()
            .rposition(|&first| first <= layer)
            .unwrap_or(0);
        let (cross_offset, main_offset) = offsets[band];
        corner[0] -= main_offset;
        corner[1] += cross_offset;
    }
}

/// Each layer of a laid-out component, in order: its main start and end, and the cross span
/// of its nodes.
fn layer_extents(corners: &[[f64; 2]], main: &[f64], cross: &[f64]) -> Vec<(f64, f64, f64, f64)> {
    let mut layers: Vec<(f64, f64, f64, f64)> = Vec::new();
    let mut order: Vec<usize> = (0..corners.len()).collect();
    order.sort_by(|&a, &b| corners[a][0].total_cmp(&corners[b][0]));
    for &node in &order {
        let [at, across] = corners[node];
        match layers.last_mut() {
            Some(layer) if (layer.0 - at).abs() < 1e-6 => {
                layer.1 = layer.1.max(at + main[node]);
                layer.2 = layer.2.min(across);
                layer.3 = layer.3.max(across + cross[node]);
            }
            _ => layers.push((at, at + main[node], across, across + cross[node])),
        }
    }
    layers
}

/// A count as `f64` (exact up to `u32::MAX`, which no layout reaches).
fn to_f64(value: usize) -> f64 {
    f64::from(u32::try_from(value).unwrap_or(u32::MAX))
}
