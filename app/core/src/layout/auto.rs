//! Deterministic layered ("Sugiyama-style") automatic layout for directed graphs of
//! attack-flow nodes, readable left to right (or top to bottom).
//!
//! Each connected component is laid out on its own, in six steps:
//!
//! 1. **Clean-up.** Edges that point out of range, self-loops and duplicates are dropped.
//! 2. **Cycle removal.** A depth-first search (from the sources first, then from the other
//!    nodes, each in index order, following successors in index order) reverses every back
//!    edge it meets, which leaves a directed acyclic graph.
//! 3. **Layering.** Longest path from the sources, so a chain `A → B → C` takes consecutive
//!    layers; a source is then moved forward to sit just before its nearest successor, so it
//!    doesn't trail a long edge behind it.
//! 4. **Virtual nodes.** An edge spanning several layers is split by dummy nodes, one per
//!    layer crossed (within a budget proportional to the graph, shortest edges first, so
//!    pathological graphs stay fast). Dummies are internal and never returned.
//! 5. **Crossing reduction.** Barycenter ordering in alternating down and up sweeps (at most
//!    24, fewer for huge components, stopping when crossings stop decreasing); crossings are
//!    counted with a Fenwick tree in `O(E log V)` and the best ordering seen is kept.
//! 6. **Coordinates.** Layers advance along the main axis by the widest node of the layer plus
//!    the layer gap. Within a layer nodes keep their order and minimum gaps while being pulled
//!    toward the mean position of their neighbours in the adjacent layers: each pass solves
//!    that exactly as a weighted isotonic regression (pool adjacent violators), so nodes of any
//!    size never overlap.
//!
//! Components, ordered by their smallest node index, are stacked along the cross axis with
//! the component gap; the bounding box of the whole layout starts at `(0, 0)`. Everything is
//! computed in index order with no hashing, so the same input gives bit-identical output.

/// Direction the layers advance in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    /// Layers are columns advancing rightwards; edges point right.
    LeftToRight,
    /// Layers are rows advancing downwards; edges point down (the Attack Flow convention).
    #[default]
    TopToBottom,
}

/// Spacing, in points.
///
/// Negative or non-finite gaps count as `0`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LayoutOptions {
    /// Direction the layers advance in.
    pub direction: Direction,
    /// Space between consecutive layers, along the direction of the layers.
    pub layer_gap: f32,
    /// Space between neighbouring nodes of one layer.
    pub node_gap: f32,
    /// Space between disconnected components, which are stacked across the layers.
    pub component_gap: f32,
    /// Fold a component whose layers run much longer than it is wide into side-by-side
    /// bands (columns for top to bottom, rows for left to right), cut between layers, so
    /// that its picture comes near this width-to-height ratio; `None` never folds. A long
    /// chain then fits a screen instead of running off it.
    pub fold_to_aspect: Option<f32>,
}

impl Default for LayoutOptions {
    /// Top to bottom, layer gap 80, node gap 30, component gap 60, no folding.
    fn default() -> Self {
        Self {
            direction: Direction::TopToBottom,
            layer_gap: 80.0,
            node_gap: 30.0,
            component_gap: 60.0,
            fold_to_aspect: None,
        }
    }
}

/// The graph to lay out: node sizes (width, height in points) and directed edges
/// (from, to) by node index.
///
/// Negative or non-finite sizes count as `0`. Edges to or from a node that doesn't exist,
/// self-loops and repeated edges are ignored.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LayoutGraph {
    /// Width and height of every node, in points; the index is the node's index.
    pub sizes: Vec<[f32; 2]>,
    /// Directed edges `(from, to)`, by node index.
    pub edges: Vec<(usize, usize)>,
}

/// Lays the graph out in layers and returns the top-left corner of every node, by node
/// index, in points; the layout's bounding box starts at `(0, 0)`.
///
/// Deterministic (the same input gives bit-identical output), never panics, and runs in
/// about `O((V + E) log V)` per pass, with a bounded number of passes.
#[must_use]
pub fn layered_layout(graph: &LayoutGraph, options: &LayoutOptions) -> Vec<[f32; 2]> {
    let count = graph.sizes.len();
    if count == 0 {
        return Vec::new();
    }
    let gaps = Gaps::new(options);
    let (main_extent, cross_extent): (Vec<f64>, Vec<f64>) = graph
        .sizes
        .iter()
        .map(|&[width, height]| {
            let (width, height) = (length(width), length(height));
            match options.direction {
                Direction::LeftToRight => (width, height),
                Direction::TopToBottom => (height, width),
            }
        })
        .unzip();
    let edges = clean_edges(count, &graph.edges);
    let components = Components::new(count, &edges);

    let mut placed = vec![[0.0_f32; 2]; count];
    let mut cross_offset = 0.0_f64;
    for (nodes, local_edges) in components.nodes.iter().zip(&components.edges) {
        let main: Vec<f64> = nodes.iter().map(|&node| main_extent[node]).collect();
        let cross: Vec<f64> = nodes.iter().map(|&node| cross_extent[node]).collect();
        let mut corners = layout_component(&main, &cross, local_edges, &gaps);
        if let Some(aspect) = options.fold_to_aspect {
            // Bands are set apart by the component gap, or two node gaps if that is more.
            let band_gap = gaps.component.max(gaps.node * 2.0);
            super::fold::fold(
                &mut corners,
                &main,
                &cross,
                band_gap,
                aspect,
                options.direction,
            );
        }

        let min_main = corners
            .iter()
            .map(|corner| corner[0])
            .fold(f64::INFINITY, f64::min);
        let min_cross = corners
            .iter()
            .map(|corner| corner[1])
            .fold(f64::INFINITY, f64::min);
        let max_cross = corners
            .iter()
            .zip(&cross)
            .map(|(corner, extent)| corner[1] + extent)
            .fold(f64::NEG_INFINITY, f64::max);
        for (&node, corner) in nodes.iter().zip(&corners) {
            let main_at = to_f32(corner[0] - min_main);
            let cross_at = to_f32(corner[1] - min_cross + cross_offset);
            placed[node] = match options.direction {
                Direction::LeftToRight => [main_at, cross_at],
                Direction::TopToBottom => [cross_at, main_at],
            };
        }
        cross_offset += (max_cross - min_cross) + gaps.component;
    }
    placed
}

/// Most crossing-reduction sweeps (down and up alternate).
const MAX_ORDER_PASSES: usize = 24;
/// Fewest crossing-reduction sweeps allowed by [`ORDER_WORK`].
const MIN_ORDER_PASSES: usize = 4;
/// Sweeps times (nodes + edges, dummies included) a component may spend on ordering, so huge
/// components take fewer sweeps. Depends on the graph only, never on the clock.
const ORDER_WORK: usize = 3_000_000;
/// Sweeps in a row without fewer crossings before ordering stops.
const ORDER_PATIENCE: usize = 4;
/// Rounds of (down, up) alignment sweeps, before two final sweeps using both neighbours.
const ALIGN_ROUNDS: usize = 4;
/// How strongly a dummy node holds its place against real nodes (keeps long edges straight).
const DUMMY_WEIGHT: f64 = 2.0;
/// How strongly a node without neighbours on the side considered stays where it is.
const FREE_WEIGHT: f64 = 0.25;
/// Dummy nodes allowed per component: this many per node and per edge, plus
/// [`DUMMY_BUDGET_BASE`].
const DUMMY_BUDGET_FACTOR: usize = 2;
/// Dummy nodes always allowed per component.
const DUMMY_BUDGET_BASE: usize = 4096;

/// Gaps in points, cleaned.
#[derive(Debug, Clone, Copy)]
struct Gaps {
    layer: f64,
    node: f64,
    component: f64,
}

impl Gaps {
    fn new(options: &LayoutOptions) -> Self {
        Self {
            layer: length(options.layer_gap),
            node: length(options.node_gap),
            component: length(options.component_gap),
        }
    }
}

/// A size or gap as `f64`; negative and non-finite values become `0`.
fn length(value: f32) -> f64 {
    if value.is_finite() && value > 0.0 {
        f64::from(value)
    } else {
        0.0
    }
}

/// A count or index as `f64` (exact up to `u32::MAX`, which no layout reaches).
fn to_f64(value: usize) -> f64 {
    f64::from(u32::try_from(value).unwrap_or(u32::MAX))
}

/// A coordinate as returned.
#[allow(
    clippy::cast_possible_truncation,
    reason = "coordinates are returned as f32 by design"
)]
fn to_f32(value: f64) -> f32 {
    value as f32
}

/// Edges in range, without self-loops, sorted and unique.
fn clean_edges(count: usize, edges: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut clean: Vec<(usize, usize)> = edges
        .iter()
        .copied()
        .filter(|&(from, to)| from < count && to < count && from != to)
        .collect();
    clean.sort_unstable();
    clean.dedup();
    clean
}

/// Compressed adjacency lists: the neighbours of node `v` are `items[start[v]..start[v + 1]]`.
struct Adjacency {
    start: Vec<usize>,
    items: Vec<usize>,
}

impl Adjacency {
    /// Lists from pairs `(node, neighbour)`, keeping the pairs' order within each list.
    fn new(count: usize, pairs: &[(usize, usize)], flip: bool) -> Self {
        let mut start = vec![0_usize; count + 1];
        for &(a, b) in pairs {
            let from = if flip { b } else { a };
            start[from + 1] += 1;
        }
        for index in 0..count {
            start[index + 1] += start[index];
        }
        let mut fill = start.clone();
        let mut items = vec![0_usize; pairs.len()];
        for &(a, b) in pairs {
            let (from, to) = if flip { (b, a) } else { (a, b) };
            items[fill[from]] = to;
            fill[from] += 1;
        }
        Self { start, items }
    }

    fn row(&self, node: usize) -> &[usize] {
        &self.items[self.start[node]..self.start[node + 1]]
    }
}

/// Weakly connected components, ordered by smallest node index, with local edges.
struct Components {
    /// Global node indices of each component, ascending.
    nodes: Vec<Vec<usize>>,
    /// Edges of each component in local indices, sorted and unique.
    edges: Vec<Vec<(usize, usize)>>,
}

impl Components {
    fn new(count: usize, edges: &[(usize, usize)]) -> Self {
        let mut parent: Vec<usize> = (0..count).collect();
        let find = |parent: &mut Vec<usize>, mut node: usize| {
            while parent[node] != node {
                parent[node] = parent[parent[node]];
                node = parent[node];
            }
            node
        };
        for &(from, to) in edges {
            let (a, b) = (find(&mut parent, from), find(&mut parent, to));
            if a != b {
                // The smaller index becomes the root.
                let (low, high) = if a < b { (a, b) } else { (b, a) };
                parent[high] = low;
            }
        }
        let mut component_of_root = vec![usize::MAX; count];
        let mut component = vec![0_usize; count];
        let mut local = vec![0_usize; count];
        let mut nodes: Vec<Vec<usize>> = Vec::new();
        for node in 0..count {
            let root = find(&mut parent, node);
            if component_of_root[root] == usize::MAX {
                component_of_root[root] = nodes.len();
                nodes.push(Vec::new());
            }
            let id = component_of_root[root];
            component[node] = id;
            local[node] = nodes[id].len();
            nodes[id].push(node);
        }
        let mut local_edges = vec![Vec::new(); nodes.len()];
        for &(from, to) in edges {
            local_edges[component[from]].push((local[from], local[to]));
        }
        Self {
            nodes,
            edges: local_edges,
        }
    }
}

/// Lays out one connected component; returns the (main, cross) top-left corner of each node,
/// in a frame of its own.
fn layout_component(
    main: &[f64],
    cross: &[f64],
    edges: &[(usize, usize)],
    gaps: &Gaps,
) -> Vec<[f64; 2]> {
    let count = main.len();
    if count <= 1 || edges.is_empty() {
        return vec![[0.0, 0.0]; count];
    }
    let acyclic = break_cycles(count, edges);
    let rank = assign_layers(count, &acyclic);
    let mut layered = Layered::new(count, rank, &acyclic);
    layered.reduce_crossings();
    let centers = layered.cross_centers(cross, gaps);
    let mains = layered.main_corners(main, gaps.layer);
    (0..count)
        .map(|node| [mains[node], centers[node] - cross[node] / 2.0])
        .collect()
}

/// Reverses the back edges of a deterministic depth-first search; returns the acyclic edges,
/// sorted and unique. `edges` must be sorted and unique, without self-loops.
fn break_cycles(count: usize, edges: &[(usize, usize)]) -> Vec<(usize, usize)> {
    const WHITE: u8 = 0;
    const GRAY: u8 = 1;
    const BLACK: u8 = 2;

    // Edges are sorted by source, so edge `e` of node `v` lies in `first[v]..first[v + 1]`.
    let mut first = vec![0_usize; count + 1];
    let mut in_degree = vec![0_usize; count];
    for &(from, to) in edges {
        first[from + 1] += 1;
        in_degree[to] += 1;
    }
    for index in 0..count {
        first[index + 1] += first[index];
    }

    let mut color = vec![WHITE; count];
    let mut reversed = vec![false; edges.len()];
    let mut stack: Vec<(usize, usize)> = Vec::new();
    let sources = (0..count).filter(|&node| in_degree[node] == 0);
    for root in sources.chain(0..count) {
        if color[root] != WHITE {
            continue;
        }
        color[root] = GRAY;
        stack.push((root, first[root]));
        while let Some(top) = stack.last_mut() {
            let node = top.0;
            if top.1 < first[node + 1] {
                let edge = top.1;
                top.1 += 1;
                let next = edges[edge].1;
                match color[next] {
                    WHITE => {
                        color[next] = GRAY;
                        stack.push((next, first[next]));
                    }
                    GRAY => reversed[edge] = true,
                    _ => {}
                }
            } else {
                color[node] = BLACK;
                stack.pop();
            }
        }
    }

    let mut acyclic: Vec<(usize, usize)> = edges
        .iter()
        .zip(&reversed)
        .map(|(&(from, to), &flip)| if flip { (to, from) } else { (from, to) })
        .collect();
    acyclic.sort_unstable();
    acyclic.dedup();
    acyclic
}

/// Longest-path layering of an acyclic graph, with sources moved forward next to their
/// nearest successor.
fn assign_layers(count: usize, edges: &[(usize, usize)]) -> Vec<usize> {
    let successors = Adjacency::new(count, edges, false);
    let mut in_degree = vec![0_usize; count];
    for &(_, to) in edges {
        in_degree[to] += 1;
    }
    let mut rank = vec![0_usize; count];
    let mut remaining = in_degree.clone();
    let mut queue: Vec<usize> = (0..count).filter(|&node| in_degree[node] == 0).collect();
    let mut head = 0;
    while let Some(&node) = queue.get(head) {
        head += 1;
        for &next in successors.row(node) {
            rank[next] = rank[next].max(rank[node] + 1);
            remaining[next] -= 1;
            if remaining[next] == 0 {
                queue.push(next);
            }
        }
    }
    for node in 0..count {
        if in_degree[node] == 0
            && let Some(nearest) = successors.row(node).iter().map(|&next| rank[next]).min()
        {
            rank[node] = nearest.saturating_sub(1);
        }
    }
    rank
}

/// The layered graph with dummy nodes: every edge joins consecutive layers.
struct Layered {
    /// Real nodes are `0..real`; dummies follow.
    real: usize,
    /// Layer of every node.
    rank: Vec<usize>,
    /// Neighbours in the previous layer.
    up: Adjacency,
    /// Neighbours in the next layer.
    down: Adjacency,
    /// Number of edges between consecutive layers.
    links: usize,
    /// Nodes of every layer, in order.
    layers: Vec<Vec<usize>>,
    /// Position of every node in its layer.
    position: Vec<usize>,
}

impl Layered {
    fn new(real: usize, mut rank: Vec<usize>, edges: &[(usize, usize)]) -> Self {
        let span = |&(from, to): &(usize, usize)| rank[to].saturating_sub(rank[from]);
        let long: Vec<usize> = (0..edges.len())
            .filter(|&edge| span(&edges[edge]) > 1)
            .collect();
        let needed = long.iter().fold(0_usize, |sum, &edge| {
            sum.saturating_add(span(&edges[edge]) - 1)
        });
        let budget = DUMMY_BUDGET_FACTOR
            .saturating_mul(real.saturating_add(edges.len()))
            .saturating_add(DUMMY_BUDGET_BASE);
        let mut kept = vec![true; edges.len()];
        if needed > budget {
            // Shortest edges first; an edge over budget is left out of ordering and alignment.
            let mut by_span = long;
            by_span.sort_unstable_by_key(|&edge| (span(&edges[edge]), edge));
            let mut used = 0_usize;
            for edge in by_span {
                let cost = span(&edges[edge]) - 1;
                if used + cost <= budget {
                    used += cost;
                } else {
                    kept[edge] = false;
                }
            }
        }

        let mut unit: Vec<(usize, usize)> = Vec::with_capacity(edges.len());
        for (&(from, to), &keep) in edges.iter().zip(&kept) {
            let (low, high) = (rank[from], rank[to]);
            if high <= low || !keep {
                continue;
            }
            let mut previous = from;
            for layer in low + 1..high {
                let dummy = rank.len();
                rank.push(layer);
                unit.push((previous, dummy));
                previous = dummy;
            }
            unit.push((previous, to));
        }

        let total = rank.len();
        let layer_count = rank.iter().max().map_or(0, |&max| max + 1);
        let mut layers: Vec<Vec<usize>> = vec![Vec::new(); layer_count];
        let mut position = vec![0_usize; total];
        for (node, &layer) in rank.iter().enumerate() {
            position[node] = layers[layer].len();
            layers[layer].push(node);
        }
        Self {
            real,
            links: unit.len(),
            up: Adjacency::new(total, &unit, true),
            down: Adjacency::new(total, &unit, false),
            rank,
            layers,
            position,
        }
    }

    /// Alternating barycenter sweeps; keeps the ordering with the fewest crossings.
    fn reduce_crossings(&mut self) {
        let mut best = self.crossings();
        if best == 0 {
            return;
        }
        let mut best_layers = self.layers.clone();
        let mut stale = 0;
        let size = self.rank.len().saturating_add(self.links).max(1);
        let passes = (ORDER_WORK / size).clamp(MIN_ORDER_PASSES, MAX_ORDER_PASSES);
        for pass in 0..passes {
            if pass % 2 == 0 {
                for layer in 1..self.layers.len() {
                    self.reorder(layer, true);
                }
            } else {
                for layer in (0..self.layers.len().saturating_sub(1)).rev() {
                    self.reorder(layer, false);
                }
            }
            let crossings = self.crossings();
            if crossings < best {
                best = crossings;
                best_layers.clone_from(&self.layers);
                stale = 0;
                if best == 0 {
                    break;
                }
            } else {
                stale += 1;
                if stale >= ORDER_PATIENCE {
                    break;
                }
            }
        }
        self.layers = best_layers;
        for layer in &self.layers {
            for (index, &node) in layer.iter().enumerate() {
                self.position[node] = index;
            }
        }
    }

    /// Sorts one layer by the barycenter of its neighbours in the previous layer (`by_up`) or
    /// the next one. Nodes without such neighbours keep their slots; ties keep the old order.
    fn reorder(&mut self, layer: usize, by_up: bool) {
        let nodes = std::mem::take(&mut self.layers[layer]);
        let neighbours = if by_up { &self.up } else { &self.down };
        let mut keyed: Vec<(f64, usize, usize)> = Vec::with_capacity(nodes.len());
        let mut fixed = vec![false; nodes.len()];
        for (index, &node) in nodes.iter().enumerate() {
            let row = neighbours.row(node);
            if row.is_empty() {
                fixed[index] = true;
            } else {
                let sum: f64 = row.iter().map(|&other| to_f64(self.position[other])).sum();
                keyed.push((sum / to_f64(row.len()), index, node));
            }
        }
        keyed.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let mut sorted = keyed.into_iter().map(|(_, _, node)| node);
        let mut ordered = Vec::with_capacity(nodes.len());
        for (index, &node) in nodes.iter().enumerate() {
            if fixed[index] {
                ordered.push(node);
            } else if let Some(next) = sorted.next() {
                ordered.push(next);
            }
        }
        for (index, &node) in ordered.iter().enumerate() {
            self.position[node] = index;
        }
        self.layers[layer] = ordered;
    }

    /// Number of edge crossings between all pairs of consecutive layers.
    fn crossings(&self) -> usize {
        let mut total = 0_usize;
        let mut sequence: Vec<usize> = Vec::new();
        let mut tree: Vec<usize> = Vec::new();
        for pair in self.layers.windows(2) {
            let [upper, lower] = pair else { continue };
            sequence.clear();
            for &node in upper {
                let start = sequence.len();
                sequence.extend(self.down.row(node).iter().map(|&next| self.position[next]));
                sequence[start..].sort_unstable();
            }
            total = total.saturating_add(count_inversions(&sequence, lower.len(), &mut tree));
        }
        total
    }

    fn cross_extent(&self, cross: &[f64], node: usize) -> f64 {
        if node < self.real { cross[node] } else { 0.0 }
    }

    /// Least distance between the centers of neighbours `a` then `b` in a layer.
    fn separation(&self, cross: &[f64], gaps: &Gaps, a: usize, b: usize) -> f64 {
        let gap = if a < self.real && b < self.real {
            gaps.node
        } else {
            gaps.node / 2.0
        };
        f64::midpoint(self.cross_extent(cross, a), self.cross_extent(cross, b)) + gap
    }

    /// Cross-axis centers of all nodes (real and dummy).
    fn cross_centers(&self, cross: &[f64], gaps: &Gaps) -> Vec<f64> {
        let mut center = vec![0.0_f64; self.rank.len()];
        for layer in &self.layers {
            let mut at = 0.0;
            for (index, &node) in layer.iter().enumerate() {
                if index > 0 {
                    at += self.separation(cross, gaps, layer[index - 1], node);
                }
                center[node] = at;
            }
            for &node in layer {
                center[node] -= at / 2.0;
            }
        }
        let mut scratch = Scratch::default();
        let count = self.layers.len();
        for _ in 0..ALIGN_ROUNDS {
            for layer in 1..count {
                self.align(layer, Side::Up, cross, gaps, &mut center, &mut scratch);
            }
            for layer in (0..count.saturating_sub(1)).rev() {
                self.align(layer, Side::Down, cross, gaps, &mut center, &mut scratch);
            }
        }
        for layer in 0..count {
            self.align(layer, Side::Both, cross, gaps, &mut center, &mut scratch);
        }
        for layer in (0..count).rev() {
            self.align(layer, Side::Both, cross, gaps, &mut center, &mut scratch);
        }
        center
    }

    /// Moves one layer's nodes as close as their order and gaps allow to the mean center of
    /// their neighbours on `side` (weighted least squares, solved exactly).
    fn align(
        &self,
        layer: usize,
        side: Side,
        cross: &[f64],
        gaps: &Gaps,
        center: &mut [f64],
        scratch: &mut Scratch,
    ) {
        let nodes = &self.layers[layer];
        scratch.offset.clear();
        scratch.target.clear();
        scratch.weight.clear();
        let mut offset = 0.0;
        for (index, &node) in nodes.iter().enumerate() {
            if index > 0 {
                offset += self.separation(cross, gaps, nodes[index - 1], node);
            }
            let (up, down): (&[usize], &[usize]) = match side {
                Side::Up => (self.up.row(node), &[]),
                Side::Down => (&[], self.down.row(node)),
                Side::Both => (self.up.row(node), self.down.row(node)),
            };
            let linked = up.len() + down.len();
            let (wanted, weight) = if linked == 0 {
                (center[node], FREE_WEIGHT)
            } else {
                let sum: f64 = up.iter().chain(down).map(|&other| center[other]).sum();
                let strength = if node < self.real { 1.0 } else { DUMMY_WEIGHT };
                (sum / to_f64(linked), to_f64(linked) * strength)
            };
            scratch.offset.push(offset);
            scratch.target.push(wanted - offset);
            scratch.weight.push(weight);
        }
        isotonic(
            &scratch.target,
            &scratch.weight,
            &mut scratch.blocks,
            &mut scratch.fitted,
        );
        for (index, &node) in nodes.iter().enumerate() {
            let mut at = scratch.fitted[index] + scratch.offset[index];
            if index > 0 {
                let previous = nodes[index - 1];
                let least = center[previous] + self.separation(cross, gaps, previous, node);
                if at.is_nan() || at < least {
                    at = least;
                }
            }
            center[node] = at;
        }
    }

    /// Main-axis top-left coordinate of the real nodes: each layer is as wide as its widest
    /// node, nodes are centred in it.
    fn main_corners(&self, main: &[f64], layer_gap: f64) -> Vec<f64> {
        let mut extent = vec![0.0_f64; self.layers.len()];
        for (&layer, &width) in self.rank.iter().zip(main) {
            extent[layer] = extent[layer].max(width);
        }
        let mut start = Vec::with_capacity(extent.len());
        let mut at = 0.0;
        for &width in &extent {
            start.push(at);
            at += width + layer_gap;
        }
        self.rank
            .iter()
            .zip(main)
            .map(|(&layer, &width)| start[layer] + (extent[layer] - width) / 2.0)
            .collect()
    }
}

/// Which neighbours a node is pulled toward.
#[derive(Debug, Clone, Copy)]
enum Side {
    Up,
    Down,
    Both,
}

/// Buffers reused by [`Layered::align`].
#[derive(Default)]
struct Scratch {
    offset: Vec<f64>,
    target: Vec<f64>,
    weight: Vec<f64>,
    blocks: Vec<Block>,
    fitted: Vec<f64>,
}

/// A run of values pooled together by [`isotonic`].
#[derive(Debug, Clone, Copy)]
struct Block {
    weight: f64,
    weighted_sum: f64,
    len: usize,
}

impl Block {
    fn mean(&self) -> f64 {
        self.weighted_sum / self.weight
    }
}

/// Weighted isotonic regression (pool adjacent violators): the non-decreasing sequence closest
/// to `target` in weighted least squares. Weights must be positive.
fn isotonic(target: &[f64], weight: &[f64], blocks: &mut Vec<Block>, fitted: &mut Vec<f64>) {
    blocks.clear();
    for (&value, &strength) in target.iter().zip(weight) {
        let mut block = Block {
            weight: strength,
            weighted_sum: strength * value,
            len: 1,
        };
        while let Some(last) = blocks.last() {
            if last.mean() > block.mean() {
                block = Block {
                    weight: last.weight + block.weight,
                    weighted_sum: last.weighted_sum + block.weighted_sum,
                    len: last.len + block.len,
                };
                blocks.pop();
            } else {
                break;
            }
        }
        blocks.push(block);
    }
    fitted.clear();
    for block in blocks.iter() {
        let mean = block.mean();
        fitted.extend(std::iter::repeat_n(mean, block.len));
    }
}

/// Pairs `i < j` with `sequence[i] > sequence[j]`; values must be below `bound`.
fn count_inversions(sequence: &[usize], bound: usize, tree: &mut Vec<usize>) -> usize {
    tree.clear();
    tree.resize(bound + 1, 0);
    let mut inversions = 0_usize;
    for (seen, &value) in sequence.iter().enumerate() {
        // Earlier values <= value.
        let mut at_most = 0;
        let mut index = value + 1;
        while index > 0 {
            at_most += tree[index];
            index &= index - 1;
        }
        inversions = inversions.saturating_add(seen - at_most);
        let mut index = value + 1;
        while index <= bound {
            tree[index] += 1;
            index += index & index.wrapping_neg();
        }
    }
    inversions
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
#[allow(clippy::float_cmp, reason = "tests check exact coordinates")]
mod tests {
    use super::*;

    /// A tiny deterministic pseudo-random generator (64-bit LCG).
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            self.0 >> 33
        }

        fn below(&mut self, bound: usize) -> usize {
            usize::try_from(self.next()).unwrap() % bound
        }

        fn size(&mut self) -> f32 {
            f32::from(u16::try_from(20 + self.below(180)).unwrap())
        }
    }

    fn graph(sizes: Vec<[f32; 2]>, edges: &[(usize, usize)]) -> LayoutGraph {
        LayoutGraph {
            sizes,
            edges: edges.to_vec(),
        }
    }

    /// The options these tests were written for: left to right, unfolded.
    fn left_to_right() -> LayoutOptions {
        LayoutOptions {
            direction: Direction::LeftToRight,
            ..LayoutOptions::default()
        }
    }

    fn uniform(count: usize) -> Vec<[f32; 2]> {
        vec![[100.0, 40.0]; count]
    }

    /// A flow-like graph: each node hangs off a recent one, plus extra edges both ways.
    fn random_graph(count: usize, extra: usize, seed: u64) -> LayoutGraph {
        let mut random = Lcg(seed);
        let sizes = (0..count).map(|_| [random.size(), random.size()]).collect();
        let mut edges = Vec::new();
        for node in 1..count {
            let from = node - 1 - random.below(node.min(30));
            edges.push((from, node));
        }
        for _ in 0..extra {
            let a = random.below(count);
            let b = (a + random.below(60)).min(count - 1);
            if random.below(5) == 0 {
                edges.push((b, a));
            } else {
                edges.push((a, b));
            }
        }
        LayoutGraph { sizes, edges }
    }

    fn overlap(graph: &LayoutGraph, at: &[[f32; 2]], a: usize, b: usize) -> bool {
        const SLACK: f32 = 1e-3;
        let ([ax, ay], [aw, ah]) = (at[a], graph.sizes[a]);
        let ([bx, by], [bw, bh]) = (at[b], graph.sizes[b]);
        ax < bx + bw - SLACK && bx < ax + aw - SLACK && ay < by + bh - SLACK && by < ay + ah - SLACK
    }

    fn assert_no_overlap(graph: &LayoutGraph, at: &[[f32; 2]]) {
        assert_eq!(at.len(), graph.sizes.len());
        // Sweep by x so large graphs stay fast.
        let mut by_x: Vec<usize> = (0..at.len()).collect();
        by_x.sort_by(|&a, &b| at[a][0].total_cmp(&at[b][0]).then(a.cmp(&b)));
        for (index, &a) in by_x.iter().enumerate() {
            assert!(at[a][0].is_finite() && at[a][1].is_finite(), "node {a}");
            let right = at[a][0] + graph.sizes[a][0];
            for &b in &by_x[index + 1..] {
                if at[b][0] >= right {
                    break;
                }
                assert!(
                    !overlap(graph, at, a, b),
                    "nodes {a} {:?} and {b} {:?} overlap",
                    at[a],
                    at[b]
                );
            }
        }
    }

    fn assert_origin(at: &[[f32; 2]]) {
        let min_x = at.iter().map(|p| p[0]).fold(f32::INFINITY, f32::min);
        let min_y = at.iter().map(|p| p[1]).fold(f32::INFINITY, f32::min);
        assert_eq!(min_x, 0.0);
        assert_eq!(min_y, 0.0);
    }

    /// Crossings of straight edges between node centres, for edges between two given layers
    /// (both `from` nodes share a main coordinate, both `to` nodes too).
    fn drawn_crossings(graph: &LayoutGraph, at: &[[f32; 2]], edges: &[(usize, usize)]) -> usize {
        let center_y = |node: usize| at[node][1] + graph.sizes[node][1] / 2.0;
        let mut crossings = 0;
        for (index, &(a, b)) in edges.iter().enumerate() {
            for &(c, d) in &edges[index + 1..] {
                if (center_y(a) - center_y(c)) * (center_y(b) - center_y(d)) < 0.0 {
                    crossings += 1;
                }
            }
        }
        crossings
    }

    #[test]
    fn empty_graph_gives_nothing() {
        assert!(layered_layout(&LayoutGraph::default(), &left_to_right()).is_empty());
        let single = graph(vec![[10.0, 10.0]], &[(0, 0), (0, 5)]);
        assert_eq!(layered_layout(&single, &left_to_right()), vec![[0.0, 0.0]]);
    }

    #[test]
    fn chain_left_to_right() {
        let chain = graph(uniform(3), &[(0, 1), (1, 2)]);
        let at = layered_layout(&chain, &left_to_right());
        assert!(at[0][0] < at[1][0] && at[1][0] < at[2][0], "{at:?}");
        // Consecutive layers: one node width plus the layer gap apart.
        assert!((at[1][0] - at[0][0] - 180.0).abs() < 1e-3, "{at:?}");
        assert!((at[2][0] - at[1][0] - 180.0).abs() < 1e-3, "{at:?}");
        assert!((at[0][1] - at[1][1]).abs() < 1e-3 && (at[1][1] - at[2][1]).abs() < 1e-3);
        assert_origin(&at);
    }

    #[test]
    fn a_long_chain_folds_into_side_by_side_columns() {
        let edges: Vec<(usize, usize)> = (0..59).map(|index| (index, index + 1)).collect();
        let chain = graph(uniform(60), &edges);
        let unfolded = layered_layout(&chain, &LayoutOptions::default());
        let options = LayoutOptions {
            fold_to_aspect: Some(1.6),
            ..LayoutOptions::default()
        };
        let at = layered_layout(&chain, &options);
        let span = |at: &[[f32; 2]], axis: usize| {
            let values = at.iter().map(|corner| corner[axis]);
            values.clone().fold(f32::MIN, f32::max) - values.fold(f32::MAX, f32::min)
        };
        assert!(span(&unfolded, 0) < 1.0, "one column unfolded");
        assert!(span(&at, 0) > 0.0, "several columns folded: {at:?}");
        assert!(span(&at, 1) < span(&unfolded, 1) / 3.0, "much shorter");
        // Order is kept: each column runs down, the next starts at the top again.
        let columns: std::collections::BTreeSet<u32> = at
            .iter()
            .map(|corner| corner[0].round().to_bits())
            .collect();
        assert!(columns.len() >= 3, "{columns:?}");
        for pair in at.windows(2) {
            let same_column = (pair[0][0] - pair[1][0]).abs() < 1e-3;
            assert!(!same_column || pair[0][1] < pair[1][1], "{pair:?}");
            assert!(same_column || pair[1][0] > pair[0][0], "{pair:?}");
        }
        assert_origin(&at);
        // No two nodes overlap.
        for (index, first) in at.iter().enumerate() {
            for second in &at[index + 1..] {
                let apart =
                    (first[0] - second[0]).abs() >= 100.0 || (first[1] - second[1]).abs() >= 40.0;
                assert!(apart, "{first:?} {second:?}");
            }
        }
    }

    #[test]
    fn chain_top_to_bottom() {
        let chain = graph(uniform(3), &[(1, 2), (0, 1)]);
        let options = LayoutOptions {
            direction: Direction::TopToBottom,
            ..LayoutOptions::default()
        };
        let at = layered_layout(&chain, &options);
        assert!(at[0][1] < at[1][1] && at[1][1] < at[2][1], "{at:?}");
        assert!((at[1][1] - at[0][1] - 120.0).abs() < 1e-3, "{at:?}");
        assert!((at[0][0] - at[1][0]).abs() < 1e-3 && (at[1][0] - at[2][0]).abs() < 1e-3);
        assert_origin(&at);
    }

    #[test]
    fn diamond_shares_a_layer() {
        let diamond = graph(uniform(4), &[(0, 1), (0, 2), (1, 3), (2, 3)]);
        let at = layered_layout(&diamond, &left_to_right());
        assert_eq!(at[1][0], at[2][0], "B and C share a layer: {at:?}");
        assert!(at[0][0] < at[1][0] && at[1][0] < at[3][0], "{at:?}");
        assert_ne!(at[1][1], at[2][1]);
        // Symmetric: A and D centred between B and C.
        let middle = f32::midpoint(at[1][1], at[2][1]);
        assert!((at[0][1] - middle).abs() < 1e-3 && (at[3][1] - middle).abs() < 1e-3);
        assert_no_overlap(&diamond, &at);
        assert_origin(&at);
    }

    #[test]
    fn longest_path_layering_with_sources_pulled_forward() {
        // 0 → 1 → 2 → 5 and 3 → 4 → 5: node 5 goes after the longer chain. Node 6 only
        // feeds 5, so it sits in the layer just before 5, not in the first one.
        let layered = graph(
            uniform(7),
            &[(0, 1), (1, 2), (2, 5), (3, 4), (4, 5), (6, 5)],
        );
        let at = layered_layout(&layered, &left_to_right());
        let column = |node: usize| at[node][0];
        assert!(column(0) < column(1) && column(1) < column(2) && column(2) < column(5));
        assert_eq!(column(4), column(1), "{at:?}");
        assert_eq!(column(3), column(0), "{at:?}");
        assert_eq!(column(6), column(2), "{at:?}");
        assert_no_overlap(&layered, &at);
    }

    #[test]
    fn varied_sizes_never_overlap() {
        let random = random_graph(300, 120, 7);
        let at = layered_layout(&random, &left_to_right());
        for a in 0..at.len() {
            for b in a + 1..at.len() {
                assert!(!overlap(&random, &at, a, b), "{a} and {b} overlap");
            }
        }
        assert_origin(&at);
        let options = LayoutOptions {
            direction: Direction::TopToBottom,
            node_gap: 0.0,
            layer_gap: 0.0,
            component_gap: 0.0,
            fold_to_aspect: Some(1.6),
        };
        let at = layered_layout(&random, &options);
        assert_no_overlap(&random, &at);
        assert_origin(&at);
    }

    #[test]
    fn layout_is_deterministic() {
        let random = random_graph(400, 200, 42);
        let first = layered_layout(&random, &left_to_right());
        let second = layered_layout(&random.clone(), &left_to_right());
        let first_bits: Vec<[u32; 2]> = first.iter().map(|p| p.map(f32::to_bits)).collect();
        let second_bits: Vec<[u32; 2]> = second.iter().map(|p| p.map(f32::to_bits)).collect();
        assert_eq!(first_bits, second_bits);
        // Edge order in the input doesn't matter either.
        let mut shuffled = random.clone();
        shuffled.edges.reverse();
        assert_eq!(layered_layout(&shuffled, &left_to_right()), first);
    }

    #[test]
    fn cycles_self_loops_and_bad_edges_are_survived() {
        let messy = graph(
            uniform(5),
            &[
                (0, 1),
                (1, 2),
                (2, 0),
                (2, 2),
                (0, 1),
                (3, 99),
                (usize::MAX, 0),
                (3, 4),
                (4, 3),
            ],
        );
        let at = layered_layout(&messy, &left_to_right());
        assert_eq!(at.len(), 5);
        assert_no_overlap(&messy, &at);
        assert_origin(&at);
        // The cycle 0 → 1 → 2 → 0 breaks at its back edge: 0, 1, 2 in consecutive layers.
        assert!(at[0][0] < at[1][0] && at[1][0] < at[2][0], "{at:?}");
        // Nodes 3 and 4 form their own component, below the first.
        assert!(at[3][1] >= at[0][1] + 40.0 + 60.0 - 1e-3, "{at:?}");

        // Everything pointing at everything, both ways.
        let count = 12;
        let mut edges = Vec::new();
        for a in 0..count {
            for b in 0..count {
                edges.push((a, b));
            }
        }
        let dense = graph(uniform(count), &edges);
        let at = layered_layout(&dense, &left_to_right());
        assert_no_overlap(&dense, &at);
        assert_origin(&at);

        // Bad sizes and gaps don't poison the result.
        let odd = graph(
            vec![[f32::NAN, 10.0], [-5.0, f32::INFINITY], [10.0, 10.0]],
            &[(0, 1), (1, 2)],
        );
        let options = LayoutOptions {
            layer_gap: f32::NAN,
            node_gap: -1.0,
            component_gap: f32::INFINITY,
            direction: Direction::LeftToRight,
            fold_to_aspect: Some(f32::NAN),
        };
        let at = layered_layout(&odd, &options);
        assert!(at.iter().flatten().all(|value| value.is_finite()), "{at:?}");
    }

    #[test]
    fn crossings_are_removed() {
        // An "X": the index order crosses the two edges.
        let x = graph(uniform(4), &[(0, 3), (1, 2)]);
        let at = layered_layout(&x, &left_to_right());
        assert_eq!(drawn_crossings(&x, &at, &x.edges), 0, "{at:?}");

        // A scrambled perfect matching between two layers of 8 (many naive crossings).
        let targets = [5, 2, 7, 0, 3, 6, 1, 4];
        let edges: Vec<(usize, usize)> = (0..8).map(|a| (a, 8 + targets[a])).collect();
        // Tie them into one component through a common root and sink.
        let mut all = edges.clone();
        all.extend((0..8).map(|a| (16, a)));
        all.extend((8..16).map(|b| (b, 17)));
        let matching = graph(uniform(18), &all);
        let naive_order: Vec<[f32; 2]> = (0..18)
            .map(|node| [0.0, f32::from(u8::try_from(node % 8).unwrap())])
            .collect();
        assert!(drawn_crossings(&matching, &naive_order, &edges) > 0);
        let at = layered_layout(&matching, &left_to_right());
        assert_eq!(drawn_crossings(&matching, &at, &edges), 0, "{at:?}");
        assert_no_overlap(&matching, &at);
    }

    #[test]
    fn inversion_count_matches_brute_force() {
        let mut random = Lcg(3);
        let mut tree = Vec::new();
        for _ in 0..50 {
            let bound = 1 + random.below(20);
            let sequence: Vec<usize> = (0..random.below(40)).map(|_| random.below(bound)).collect();
            let mut brute = 0;
            for i in 0..sequence.len() {
                for j in i + 1..sequence.len() {
                    if sequence[i] > sequence[j] {
                        brute += 1;
                    }
                }
            }
            assert_eq!(count_inversions(&sequence, bound, &mut tree), brute);
        }
    }

    #[test]
    fn isotonic_keeps_order_and_fits() {
        let (mut blocks, mut fitted) = (Vec::new(), Vec::new());
        isotonic(
            &[1.0, 3.0, 2.0, 0.0, 5.0],
            &[1.0, 1.0, 1.0, 1.0, 1.0],
            &mut blocks,
            &mut fitted,
        );
        assert_eq!(fitted, vec![1.0, 5.0 / 3.0, 5.0 / 3.0, 5.0 / 3.0, 5.0]);
        isotonic(&[4.0, 0.0], &[3.0, 1.0], &mut blocks, &mut fitted);
        assert_eq!(fitted, vec![3.0, 3.0]);
    }

    #[test]
    fn components_are_stacked_without_overlap() {
        // Component {0, 3}, isolated 1, component {2, 4, 5}, isolated 6.
        let sizes = vec![
            [50.0, 30.0],
            [200.0, 100.0],
            [60.0, 60.0],
            [40.0, 20.0],
            [80.0, 10.0],
            [30.0, 90.0],
            [10.0, 10.0],
        ];
        let parts = graph(sizes, &[(3, 0), (2, 4), (2, 5), (5, 4)]);
        let at = layered_layout(&parts, &left_to_right());
        assert_no_overlap(&parts, &at);
        assert_origin(&at);
        assert!(at.iter().flatten().all(|&value| value >= 0.0));
        // Ordered by smallest index: {0, 3} on top, then 1, then {2, 4, 5}, then 6.
        let bottom = |nodes: &[usize]| {
            nodes
                .iter()
                .map(|&n| at[n][1] + parts.sizes[n][1])
                .fold(f32::MIN, f32::max)
        };
        let top = |nodes: &[usize]| nodes.iter().map(|&n| at[n][1]).fold(f32::MAX, f32::min);
        assert_eq!(top(&[0, 3]), 0.0);
        assert!((top(&[1]) - bottom(&[0, 3]) - 60.0).abs() < 1e-3, "{at:?}");
        assert!(
            (top(&[2, 4, 5]) - bottom(&[1]) - 60.0).abs() < 1e-3,
            "{at:?}"
        );
        assert!(
            (top(&[6]) - bottom(&[2, 4, 5]) - 60.0).abs() < 1e-3,
            "{at:?}"
        );
        // Every component starts at x = 0.
        assert_eq!(at[3][0], 0.0);
        assert_eq!(at[1][0], 0.0);
        assert_eq!(at[2][0], 0.0);
        assert_eq!(at[6][0], 0.0);
    }

    #[test]
    fn large_graph_completes() {
        let big = random_graph(3_000, 600, 11);
        let at = layered_layout(&big, &left_to_right());
        assert_no_overlap(&big, &at);
        assert_origin(&at);
    }

    #[test]
    #[ignore = "timing; run with --release -- --ignored --nocapture"]
    fn timing_ten_thousand_nodes() {
        let big = random_graph(10_000, 2_001, 5);
        assert_eq!(big.edges.len(), 12_000);
        let start = std::time::Instant::now();
        let at = layered_layout(&big, &left_to_right());
        let flow = start.elapsed();
        assert_no_overlap(&big, &at);

        // Uniformly random edges: very long spans, the dummy budget kicks in.
        let mut random = Lcg(9);
        let wild = LayoutGraph {
            sizes: big.sizes.clone(),
            edges: (0..12_000)
                .map(|_| (random.below(10_000), random.below(10_000)))
                .collect(),
        };
        let start = std::time::Instant::now();
        let at = layered_layout(&wild, &left_to_right());
        let wild_time = start.elapsed();
        assert_no_overlap(&wild, &at);
        println!("10,000 nodes / 12,000 edges: flow-like {flow:?}, uniformly random {wild_time:?}");
    }
}
