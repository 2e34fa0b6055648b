//! Pictures of Hero HQ: the graph as data, both renderings, the `graph`
//! binary's files, a measured run, a failed run, and the README's diagram.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::temp_path;
use lifecycle_examples::graph::FILES;
use lifecycle_examples::hero_hq::HeroHq;
use lifecycle_runtime::Graph;

const PROVIDERS: [&str; 6] = [
    "HqSettings",
    "Database",
    "PowerGrid",
    "Roster",
    "MissionLog",
    "Dispatch",
];

/// Who needs whom in Hero HQ, as `mod.rs` draws it.
const NEEDS: [(&str, &str); 7] = [
    ("Database", "HqSettings"),
    ("PowerGrid", "HqSettings"),
    ("Roster", "Database"),
    ("MissionLog", "Database"),
    ("MissionLog", "PowerGrid"),
    ("Dispatch", "Roster"),
    ("Dispatch", "MissionLog"),
];

fn id(graph: &Graph, name: &str) -> usize {
    graph
        .find(name)
        .unwrap_or_else(|| panic!("{name} is not in the graph"))
        .index()
}

fn graph_bin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_graph"))
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the graph binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Assert `text` is a Mermaid flowchart of Hero HQ: the header, one quoted
/// label per provider, one arrow per dependency, quotes balanced.
fn assert_hero_hq_mermaid(graph: &Graph, text: &str) {
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "---", "{text}");
    assert!(lines[1].starts_with("title: \"HeroHq · "), "{text}");
    assert_eq!(lines[2], "---", "{text}");
    assert_eq!(lines[3], "flowchart TD", "{text}");
    for name in PROVIDERS {
        let node = format!("    n{}[\"<b>{name}</b>", id(graph, name));
        assert!(text.contains(&node), "no node {node:?} in\n{text}");
    }
    for (dependent, dependency) in NEEDS {
        let arrow = format!(
            "    n{} --> n{}\n",
            id(graph, dependent),
            id(graph, dependency)
        );
        assert!(text.contains(&arrow), "no arrow {arrow:?} in\n{text}");
    }
    assert_eq!(text.matches(" --> ").count(), NEEDS.len(), "{text}");
    for line in &lines {
        assert_eq!(line.matches('"').count() % 2, 0, "unbalanced: {line}");
        if line.trim_start().starts_with('n') && line.contains("[\"") {
            assert!(line.ends_with("\"]"), "label not closed: {line}");
        }
    }
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file))
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.join(file).display()))
}

#[test]
fn hero_hq_graph_holds_every_provider_dependency_and_hook() {
    let graph = HeroHq::graph();
    assert_eq!(graph.module(), "HeroHq");
    assert_eq!(graph.nodes().len(), PROVIDERS.len());
    assert_eq!(graph.edges().len(), NEEDS.len());
    for (dependent, dependency) in NEEDS {
        let needs = graph.dependencies_of(id(&graph, dependent));
        assert!(
            needs.contains(&id(&graph, dependency)),
            "{dependent} -> {dependency}"
        );
    }
    let db = graph.find("Database").unwrap();
    assert_eq!(db.constructor().method, "open");
    assert_eq!(db.post_construct().unwrap().method, "create_tables");
    assert!(db.location().contains("db.rs:"), "{}", db.location());
    let grid = graph.find("PowerGrid").unwrap();
    assert_eq!(
        grid.post_construct().unwrap().timeout,
        Some(std::time::Duration::from_secs(10))
    );
    // Four providers deep, from the settings to the dispatcher.
    let path = graph.critical_path();
    assert_eq!(path.len(), 4);
    assert_eq!(graph.nodes()[path[0]].name(), "HqSettings");
    assert_eq!(graph.nodes()[path[3]].name(), "Dispatch");

    assert_hero_hq_mermaid(&graph, &graph.to_mermaid());
    let dot = graph.to_dot();
    assert!(dot.starts_with("digraph \"HeroHq\" {\n") && dot.ends_with("}\n"));
    assert_eq!(dot.matches(" -> ").count(), NEEDS.len());
    for name in PROVIDERS {
        assert!(dot.contains(&format!("<b>{name}</b>")), "{name}");
    }
}

#[test]
fn the_binary_writes_both_files_into_the_out_directory() {
    let dir = temp_path("hero-hq-pictures");
    let output = graph_bin(&["--out", dir.to_str().unwrap()]);
    assert!(output.status.success(), "{output:?}");
    let out = stdout(&output);
    for file in FILES {
        assert!(
            out.contains(&format!("wrote {}", dir.join(file).display())),
            "{out}"
        );
    }
    assert!(
        out.contains("critical path: HqSettings -> Database -> Roster -> Dispatch"),
        "{out}"
    );
    let graph = HeroHq::graph();
    assert_eq!(read(&dir, "hero-hq.mmd"), graph.to_mermaid());
    assert_eq!(read(&dir, "hero-hq.dot"), graph.to_dot());
    assert_hero_hq_mermaid(&graph, &read(&dir, "hero-hq.mmd"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_measured_run_puts_the_slow_warm_up_on_the_critical_path() {
    let dir = temp_path("hero-hq-pictures-run");
    let db = dir.join("hq.sqlite");
    std::fs::create_dir_all(&dir).unwrap();
    let output = graph_bin(&[
        "--out",
        dir.to_str().unwrap(),
        "--run",
        "--grid-warmup-ms",
        "800",
        "--db",
        db.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{output:?}");
    let out = stdout(&output);
    let line = out
        .lines()
        .find(|l| l.starts_with("critical path ("))
        .unwrap_or_else(|| panic!("no timed critical path in {out}"));
    assert!(
        line.ends_with("): HqSettings -> PowerGrid -> MissionLog -> Dispatch"),
        "{line}"
    );
    let mermaid = read(&dir, "hero-hq.mmd");
    assert!(mermaid.contains("started in "), "{mermaid}");
    assert_hero_hq_mermaid(&HeroHq::graph(), &mermaid);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_failed_run_draws_the_database_red_and_what_needed_it_not_constructed() {
    let dir = temp_path("hero-hq-pictures-failed");
    let db = dir.join("no such dir").join("hq.sqlite");
    let output = graph_bin(&[
        "--out",
        dir.to_str().unwrap(),
        "--run",
        "--db",
        db.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("`Database` construct"), "{stderr}");

    let graph = HeroHq::graph();
    let mermaid = read(&dir, "hero-hq.mmd");
    assert_hero_hq_mermaid(&graph, &mermaid);
    let n = |name| format!("n{}", id(&graph, name));
    assert!(
        mermaid.contains(&format!("    class {} failed\n", n("Database"))),
        "{mermaid}"
    );
    assert!(mermaid.contains("FAILED in construct: returned an error"));
    let blocked = ["Roster", "MissionLog", "Dispatch"].map(n).join(",");
    assert!(
        mermaid.contains(&format!("    class {blocked} notConstructed\n")),
        "{mermaid}"
    );
    // Not a dependent of the database: unmarked, though startup never
    // reached it.
    let dot = read(&dir, "hero-hq.dot");
    let grid = dot
        .lines()
        .find(|l| l.starts_with(&format!("  {} [", n("PowerGrid"))))
        .unwrap();
    assert!(
        !grid.contains("#c92a2a") && !grid.contains("dashed"),
        "{grid}"
    );
    let database = dot
        .lines()
        .find(|l| l.starts_with(&format!("  {} [", n("Database"))))
        .unwrap();
    assert!(database.contains("color=\"#c92a2a\""), "{database}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_readme_shows_the_current_diagram() {
    let readme = include_str!("../../README.md");
    let diagram = HeroHq::graph().to_mermaid();
    let block = format!("```mermaid\n{diagram}```\n");
    assert!(
        readme.contains(&block),
        "README.md's Hero HQ diagram is out of date; replace it with the output of \
         `cargo run -p lifecycle-examples --bin graph` (hero-hq.mmd):\n{diagram}"
    );
}
