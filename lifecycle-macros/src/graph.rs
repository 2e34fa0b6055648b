//! Graph algorithms on plain ids, free of `syn`: the deterministic order and
//! cycle paths. Node `i`'s declaration order is `i`; `deps[i]` lists the
//! nodes `i` depends on.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};

/// A topological order in which every node comes after its dependencies,
/// ties broken by declaration order (the lowest id first); or, if the graph
/// has cycles, one cycle per strongly connected component.
pub(crate) fn order(deps: &[Vec<usize>]) -> Result<Vec<usize>, Vec<Vec<usize>>> {
    let n = deps.len();
    let mut dependents = vec![Vec::new(); n];
    let mut waiting = vec![0usize; n];
    for (node, ds) in deps.iter().enumerate() {
        for &d in ds {
            dependents[d].push(node);
            waiting[node] += 1;
        }
    }
    let mut ready: BinaryHeap<Reverse<usize>> =
        (0..n).filter(|&i| waiting[i] == 0).map(Reverse).collect();
    let mut out = Vec::with_capacity(n);
    while let Some(Reverse(node)) = ready.pop() {
        out.push(node);
        for &next in &dependents[node] {
            waiting[next] -= 1;
            if waiting[next] == 0 {
                ready.push(Reverse(next));
            }
        }
    }
    if out.len() == n {
        Ok(out)
    } else {
        Err(cycles(deps))
    }
}

/// One simple cycle per strongly connected component that has one, each
/// starting and ending at the component's lowest id, following
/// dependencies: `[a, b, a]` means `a` depends on `b` and `b` on `a`.
pub(crate) fn cycles(deps: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let mut graph = DiGraph::<usize, ()>::with_capacity(deps.len(), 0);
    let nodes: Vec<NodeIndex> = (0..deps.len()).map(|i| graph.add_node(i)).collect();
    for (node, ds) in deps.iter().enumerate() {
        for &d in ds {
            graph.add_edge(nodes[node], nodes[d], ());
        }
    }
    let mut found: Vec<Vec<usize>> = tarjan_scc(&graph)
        .into_iter()
        .filter_map(|scc| {
            let members: Vec<usize> = scc.iter().map(|ix| graph[*ix]).collect();
            let start = *members.iter().min()?;
            let cyclic = members.len() > 1 || deps[start].contains(&start);
            cyclic.then(|| shortest_cycle(deps, start, &members))
        })
        .collect();
    found.sort();
    found
}

/// The shortest cycle through `start` inside one component (BFS, lowest
/// ids first so the answer is deterministic).
fn shortest_cycle(deps: &[Vec<usize>], start: usize, members: &[usize]) -> Vec<usize> {
    let mut prev: Vec<Option<usize>> = vec![None; deps.len()];
    let mut queue = VecDeque::from([start]);
    let mut seen = vec![false; deps.len()];
    while let Some(node) = queue.pop_front() {
        let mut next: Vec<usize> = deps[node]
            .iter()
            .copied()
            .filter(|d| members.contains(d))
            .collect();
        next.sort_unstable();
        for d in next {
            if d == start {
                return build(start, node, &prev);
            }
            if !seen[d] {
                seen[d] = true;
                prev[d] = Some(node);
                queue.push_back(d);
            }
        }
    }
    vec![start, start]
}

/// `start -> … -> last -> start` from the BFS predecessor links.
fn build(start: usize, last: usize, prev: &[Option<usize>]) -> Vec<usize> {
    let mut back = vec![last];
    let mut at = last;
    while at != start {
        at = prev[at].expect("on the BFS tree");
        back.push(at);
    }
    back.reverse();
    back.push(start);
    back
}

#[cfg(test)]
mod tests;
