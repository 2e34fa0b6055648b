use super::*;

#[test]
fn order_puts_dependencies_first_and_breaks_ties_by_declaration() {
    // 0 needs 2; 1 needs nothing; 2 needs nothing; 3 needs 0 and 1.
    let deps = vec![vec![2], vec![], vec![], vec![0, 1]];
    assert_eq!(order(&deps), Ok(vec![1, 2, 0, 3]));
}

#[test]
fn order_is_declaration_order_without_edges() {
    assert_eq!(order(&[vec![], vec![], vec![]]), Ok(vec![0, 1, 2]));
}

#[test]
fn diamond_is_ordered_once() {
    // 0 <- 1, 0 <- 2, {1,2} <- 3
    let deps = vec![vec![], vec![0], vec![0], vec![2, 1]];
    assert_eq!(order(&deps), Ok(vec![0, 1, 2, 3]));
}

#[test]
fn cycle_path_is_reconstructed_from_the_lowest_node() {
    // 0 -> 1 -> 2 -> 0, and 3 depends on the cycle.
    let deps = vec![vec![1], vec![2], vec![0], vec![0]];
    assert_eq!(order(&deps), Err(vec![vec![0, 1, 2, 0]]));
}

#[test]
fn self_loop_is_a_cycle() {
    assert_eq!(order(&[vec![], vec![1]]), Err(vec![vec![1, 1]]));
}

#[test]
fn every_component_reports_one_shortest_cycle() {
    // {0,1} and {2,3,4} with a chord 4 -> 2 making 2 -> 3 -> 4 -> 2; 4 -> 3 shorter: 3 -> 4 -> 3.
    let deps = vec![vec![1], vec![0], vec![3], vec![4], vec![2, 3]];
    assert_eq!(order(&deps), Err(vec![vec![0, 1, 0], vec![2, 3, 4, 2]]));
}

#[test]
fn large_chain_orders_in_linear_fashion() {
    let n = 5000;
    let deps: Vec<Vec<usize>> = (0..n)
        .map(|i| if i == 0 { vec![] } else { vec![i - 1] })
        .collect();
    assert_eq!(order(&deps).unwrap(), (0..n).collect::<Vec<_>>());
}
