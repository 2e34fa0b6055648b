//! Graphs of hand-built plans: structure, critical path, failure marks,
//! and what the renderings escape.

use std::time::Duration;

use super::*;
use crate::engine::Timing;
use crate::error::{Cause, Error, Failures, HookFailure};
use crate::wiring::{Deps, Entry, ErasedConstruct, ProviderMeta, Step};

fn never(_: Deps<'_>) -> ErasedConstruct {
    unreachable!("graphs never construct")
}

fn no_hook(_: &crate::wiring::Erased) -> Option<crate::wiring::Hook> {
    None
}

/// One node of a test plan.
#[derive(Clone)]
struct N {
    name: &'static str,
    deps: Vec<u32>,
    role: Role,
    scope: ScopeKind,
    ctor: HookSpec,
    post: Option<HookSpec>,
    pre: Option<HookSpec>,
}

fn n(name: &'static str, deps: &[u32]) -> N {
    N {
        name,
        deps: deps.to_vec(),
        role: Role::Provider,
        scope: ScopeKind::Singleton,
        ctor: spec("new", None),
        post: None,
        pre: None,
    }
}

fn spec(method: &'static str, timeout: Option<Duration>) -> HookSpec {
    HookSpec { method, timeout }
}

/// A plan for `nodes`, leaked: plans are `'static`.
fn plan(nodes: &[N]) -> &'static Plan {
    let entries: Vec<Entry> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let meta: &'static ProviderMeta = Box::leak(Box::new(ProviderMeta {
                name: n.name,
                location: Box::leak(format!("src/app/{}.rs:{}:5", i, 10 + i).into_boxed_str()),
                construct: n.ctor,
                post_construct: n.post,
                pre_destruct: n.pre,
                scope: n.scope,
                role: n.role,
                user_code: true,
                declared: "",
            }));
            let step: &'static Step = Box::leak(Box::new(Step {
                meta,
                construct: never,
                post_construct: no_hook,
                pre_destruct: no_hook,
            }));
            Entry::new(step, Box::leak(n.deps.clone().into_boxed_slice()), &[])
        })
        .collect();
    Plan::leak("TestModule", entries)
}

fn graph(nodes: &[N]) -> Graph {
    Graph::from_plan(plan(nodes), DEFAULT_HOOK_TIMEOUT)
}

fn timing(slot: usize, construct: Duration, post_construct: Option<Duration>) -> Timing {
    let began = tokio::time::Instant::now();
    Timing {
        slot,
        began,
        constructed: began + construct,
        post_construct,
    }
}

fn timed(graph: Graph, millis: &[u64]) -> Graph {
    let timings: Vec<Timing> = millis
        .iter()
        .enumerate()
        .map(|(slot, &ms)| timing(slot, Duration::from_millis(ms), None))
        .collect();
    graph.with_timings(timings.iter().map(|t| (t.slot, Some(t))))
}

fn names(graph: &Graph, ids: &[usize]) -> Vec<&'static str> {
    ids.iter().map(|&i| graph.nodes()[i].name()).collect()
}

fn startup_error(provider: &'static str, phase: Phase) -> Error {
    Error::Startup {
        module: "TestModule",
        failure: HookFailure {
            provider,
            phase,
            elapsed: Duration::ZERO,
            cause: Cause::Error("connection \"refused\" <db>".into()),
        },
        rollback: Failures::default(),
    }
}

fn outcomes(graph: &Graph) -> Vec<Option<&'static str>> {
    graph
        .nodes()
        .iter()
        .map(|n| match n.outcome() {
            None => None,
            Some(Outcome::Failed { .. }) => Some("failed"),
            Some(Outcome::NotConstructed) => Some("not constructed"),
        })
        .collect()
}

/// Config ← Pool ← Users, Config ← Audit, Users+Audit ← Api.
fn app() -> Vec<N> {
    vec![
        n("Config", &[]),
        n("Pool", &[0]),
        n("Users", &[1, 0]),
        n("Audit", &[0]),
        n("Api", &[2, 3, 2]),
    ]
}

#[test]
fn nodes_and_edges_follow_the_plan() {
    let g = graph(&app());
    assert_eq!(g.module(), "TestModule");
    assert_eq!(g.nodes().len(), 5);
    assert!(g.nodes().iter().enumerate().all(|(i, n)| n.index() == i));
    let edges: Vec<(usize, usize)> = g
        .edges()
        .iter()
        .map(|e| (e.dependent, e.dependency))
        .collect();
    // `Api` names `Users` twice: one edge.
    assert_eq!(edges, [(1, 0), (2, 1), (2, 0), (3, 0), (4, 2), (4, 3)]);
    assert_eq!(g.dependencies_of(4), [2, 3]);
    assert_eq!(g.dependents_of(0).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(g.dependents_of(4).count(), 0);
    assert_eq!(g.find("Audit").map(Node::index), Some(3));
    assert!(g.find("Missing").is_none());
    let users = &g.nodes()[2];
    assert_eq!(users.location(), "src/app/2.rs:12:5");
    assert_eq!(users.constructor().method, "new");
    assert_eq!(users.scope(), ScopeKind::Singleton);
    assert_eq!(users.role(), Role::Provider);
    assert_eq!(users.startup(), None);
}

#[test]
fn members_of_a_collection_share_a_name_and_keep_their_own_index() {
    let mut check = n("dyn Check", &[0]);
    check.role = Role::Group;
    let mut other = n("dyn Check", &[1]);
    other.role = Role::Group;
    let g = graph(&[n("Db", &[]), n("Cache", &[]), check, other]);
    let found: Vec<usize> = g.find_all("dyn Check").map(Node::index).collect();
    assert_eq!(found, [2, 3]);
    assert_eq!(g.find("dyn Check").map(Node::index), Some(2));
}

#[test]
fn unweighted_critical_path_is_the_longest_chain_first_to_last() {
    let g = graph(&app());
    assert_eq!(
        names(&g, g.critical_path()),
        ["Config", "Pool", "Users", "Api"]
    );
    assert!(g.is_critical(1));
    assert!(!g.is_critical(3));
    assert_eq!(g.critical_path_time(), None);
    let critical: Vec<(usize, usize)> = g
        .edges()
        .iter()
        .filter(|e| g.is_critical_edge(e))
        .map(|e| (e.dependent, e.dependency))
        .collect();
    // Not `Users -> Config`: it skips a step of the path.
    assert_eq!(critical, [(1, 0), (2, 1), (4, 2)]);
}

#[test]
fn ties_go_to_the_dependency_earlier_in_the_plan() {
    // Two chains of two under `Top`; `Top` names the later one first.
    let g = graph(&[
        n("A", &[]),
        n("B", &[]),
        n("A2", &[0]),
        n("B2", &[1]),
        n("Top", &[3, 2]),
    ]);
    assert_eq!(names(&g, g.critical_path()), ["A", "A2", "Top"]);
}

#[test]
fn weighted_critical_path_follows_the_measured_times() {
    // By count, Config → Pool → Users → Api; but `Audit` took 500 ms.
    let g = timed(graph(&app()), &[5, 10, 10, 500, 1]);
    assert_eq!(names(&g, g.critical_path()), ["Config", "Audit", "Api"]);
    assert_eq!(g.critical_path_time(), Some(Duration::from_millis(506)));
    assert_eq!(g.nodes()[3].startup(), Some(Duration::from_millis(500)));

    let g = timed(graph(&app()), &[5, 300, 10, 100, 1]);
    assert_eq!(
        names(&g, g.critical_path()),
        ["Config", "Pool", "Users", "Api"]
    );
    assert_eq!(g.critical_path_time(), Some(Duration::from_millis(316)));
}

#[test]
fn weighted_ties_go_to_the_longer_chain() {
    let g = timed(graph(&app()), &[0, 0, 0, 0, 0]);
    assert_eq!(
        names(&g, g.critical_path()),
        ["Config", "Pool", "Users", "Api"]
    );
}

#[test]
fn post_construct_time_counts_toward_the_path() {
    let timings = [
        timing(0, Duration::from_millis(1), None),
        timing(1, Duration::from_millis(1), Some(Duration::from_millis(50))),
        timing(2, Duration::from_millis(20), None),
    ];
    let g = graph(&[n("Config", &[]), n("Grid", &[0]), n("Db", &[0])])
        .with_timings(timings.iter().map(|t| (t.slot, Some(t))));
    assert_eq!(names(&g, g.critical_path()), ["Config", "Grid"]);
    assert_eq!(g.nodes()[1].startup(), Some(Duration::from_millis(51)));
}

#[test]
fn nodes_built_on_demand_are_off_the_startup_critical_path() {
    let mut session = n("Session", &[1]);
    session.scope = ScopeKind::Request;
    let mut tx = n("Tx", &[2]);
    tx.scope = ScopeKind::Transient;
    let g = graph(&[n("Config", &[]), n("Pool", &[0]), session, tx]);
    assert_eq!(names(&g, g.critical_path()), ["Config", "Pool"]);
}

#[test]
fn an_empty_graph_has_no_critical_path_and_still_renders() {
    let g = graph(&[]);
    assert!(g.critical_path().is_empty());
    assert!(g.to_mermaid().contains("flowchart TD"));
    assert!(g.to_dot().ends_with("}\n"));
}

#[test]
fn a_failed_constructor_marks_its_dependents_not_constructed() {
    let g = graph(&app()).with_failure(&startup_error("Pool", Phase::Construct));
    assert_eq!(
        outcomes(&g),
        [
            None,
            Some("failed"),
            Some("not constructed"),
            None,
            Some("not constructed")
        ]
    );
    match g.nodes()[1].outcome() {
        Some(Outcome::Failed { phase, cause }) => {
            assert_eq!(*phase, Phase::Construct);
            assert_eq!(cause, "returned an error: connection \"refused\" <db>");
        }
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[test]
fn a_failed_post_construct_blocks_dependents_too() {
    let g = graph(&app()).with_failure(&startup_error("Config", Phase::PostConstruct));
    assert_eq!(
        outcomes(&g),
        [
            Some("failed"),
            Some("not constructed"),
            Some("not constructed"),
            Some("not constructed"),
            Some("not constructed")
        ]
    );
}

#[test]
fn teardown_failures_mark_the_node_and_block_nothing() {
    let error = Error::Shutdown {
        module: "TestModule",
        failures: Failures(vec![
            HookFailure {
                provider: "Users",
                phase: Phase::PreDestruct,
                elapsed: Duration::from_secs(5),
                cause: Cause::TimedOut(Duration::from_secs(5)),
            },
            HookFailure {
                provider: "hq going dark",
                phase: Phase::OnShutdown,
                elapsed: Duration::ZERO,
                cause: Cause::Panic("boom".into()),
            },
        ]),
    };
    let g = graph(&app()).with_failure(&error);
    assert_eq!(outcomes(&g), [None, None, Some("failed"), None, None]);
    assert!(matches!(
        g.nodes()[2].outcome(),
        Some(Outcome::Failed {
            phase: Phase::PreDestruct,
            ..
        })
    ));
}

#[test]
fn rollback_failures_are_marked_after_the_primary_one() {
    let error = Error::Startup {
        module: "TestModule",
        failure: HookFailure {
            provider: "Audit",
            phase: Phase::Construct,
            elapsed: Duration::ZERO,
            cause: Cause::Panic("no audit log".into()),
        },
        rollback: Failures(vec![HookFailure {
            provider: "Pool",
            phase: Phase::PreDestruct,
            elapsed: Duration::ZERO,
            cause: Cause::Panic("pool stuck".into()),
        }]),
    };
    let g = graph(&app()).with_failure(&error);
    assert_eq!(
        outcomes(&g),
        [
            None,
            Some("failed"),
            None,
            Some("failed"),
            Some("not constructed")
        ]
    );
}

#[test]
fn a_failure_naming_a_collection_marks_its_members() {
    let mut a = n("dyn Check", &[0]);
    a.role = Role::Group;
    let mut b = n("dyn Check", &[0]);
    b.role = Role::Group;
    let g = graph(&[n("Db", &[]), a, b, n("Health", &[1, 2])])
        .with_failure(&startup_error("dyn Check", Phase::Construct));
    assert_eq!(
        outcomes(&g),
        [
            None,
            Some("failed"),
            Some("failed"),
            Some("not constructed")
        ]
    );
}

/// Names that need escaping in both languages.
fn awkward() -> Vec<N> {
    let mut mailer = n("dyn Mailer", &[0]);
    mailer.role = Role::Bind;
    let mut repo = n("Repo<User>", &[0]);
    repo.ctor = spec("users", Some(Duration::from_millis(1500)));
    repo.post = Some(spec("warm_up", Some(Duration::from_secs(2))));
    repo.pre = Some(spec("close", None));
    let mut quoted = n("Say\"Hi\"#1 & `more`", &[1, 2]);
    quoted.ctor = spec("Say\"Hi\"#1 & `more`", None);
    let mut input = n("Args", &[]);
    input.role = Role::Input;
    input.scope = ScopeKind::Input;
    let mut request = n("Session", &[3]);
    request.scope = ScopeKind::Request;
    vec![n("Config", &[]), mailer, repo, quoted, input, request]
}

/// `true` if every `"` that is not escaped with `\` pairs up on `line`.
fn balanced(line: &str, escaped: bool) -> bool {
    let mut count = 0;
    let mut previous = ' ';
    for c in line.chars() {
        if c == '"' && !(escaped && previous == '\\') {
            count += 1;
        }
        previous = if previous == '\\' && c == '\\' {
            ' '
        } else {
            c
        };
    }
    count % 2 == 0
}

#[test]
fn mermaid_quotes_every_label_and_escapes_what_would_break_it() {
    let g = graph(&awkward()).with_failure(&startup_error("Repo<User>", Phase::PostConstruct));
    let text = g.to_mermaid();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "---");
    assert!(lines[1].starts_with("title: \"TestModule · bold: critical path"));
    assert_eq!(lines[2], "---");
    assert_eq!(lines[3], "flowchart TD");
    for (i, node) in g.nodes().iter().enumerate() {
        let line = lines
            .iter()
            .find(|l| l.trim_start().starts_with(&format!("n{i}[\"")))
            .unwrap_or_else(|| panic!("no line for {}", node.name()));
        let label = line
            .trim_start()
            .strip_prefix(&format!("n{i}[\""))
            .and_then(|l| l.strip_suffix("\"]"))
            .unwrap_or_else(|| panic!("not a quoted label: {line}"));
        assert!(!label.contains('"'), "{line}");
        assert!(!label.contains('`'), "{line}");
        // Only the renderer's own tags remain.
        let stripped = ["<b>", "</b>", "<i>", "</i>", "<br/>", "<small>", "</small>"]
            .iter()
            .fold(label.to_owned(), |l, tag| l.replace(tag, ""));
        assert!(!stripped.contains(['<', '>']), "{line}");
    }
    assert!(text.contains("n1[\"<b>dyn Mailer</b><br/><i>bind</i><br/><small>1.rs:11</small>\"]"));
    assert!(text.contains("<b>Repo#lt;User#gt;</b>"));
    assert!(
        text.contains(
            "users() ≤ 1500ms<br/>post_construct warm_up() ≤ 2s<br/>pre_destruct close()"
        )
    );
    assert!(text.contains("<b>FAILED in post_construct: returned an error: connection #quot;refused#quot; #lt;db#gt;</b>"));
    assert!(text.contains("<b>Say#quot;Hi#quot;#35;1 #amp; #96;more#96;</b>"));
    // A struct-literal constructor is not a line of its own.
    assert!(!text.contains("Say#quot;Hi#quot;#35;1 #amp; #96;more#96;()"));
    assert!(text.contains("<i>input</i>") && text.contains("<i>request scope</i>"));
    assert!(text.contains("<i>not constructed</i>"));
    for line in &lines[4..] {
        assert!(balanced(line, false), "{line}");
    }
}

#[test]
fn mermaid_styles_the_critical_path_and_the_failure() {
    let g = graph(&app()).with_failure(&startup_error("Audit", Phase::Construct));
    let text = g.to_mermaid();
    let tail: Vec<&str> = text.lines().skip_while(|l| !l.contains("-->")).collect();
    assert_eq!(
        tail,
        [
            "    n1 --> n0",
            "    n2 --> n1",
            "    n2 --> n0",
            "    n3 --> n0",
            "    n4 --> n2",
            "    n4 --> n3",
            "    classDef critical stroke:#d9480f,stroke-width:3px",
            "    classDef notConstructed fill:#f1f3f5,stroke:#adb5bd,stroke-dasharray:4 3,color:#868e96",
            "    classDef failed fill:#ffe3e3,stroke:#c92a2a,stroke-width:3px,color:#c92a2a",
            "    class n0,n1,n2,n4 critical",
            "    class n4 notConstructed",
            "    class n3 failed",
            "    linkStyle 0,1,4 stroke:#d9480f,stroke-width:3px",
        ]
    );
    assert_eq!(text, g.to_mermaid(), "deterministic");
}

#[test]
fn dot_escapes_labels_and_tooltips() {
    let g = graph(&awkward()).with_failure(&startup_error("Repo<User>", Phase::Construct));
    let text = g.to_dot();
    assert!(text.starts_with("digraph \"TestModule\" {\n"));
    assert!(text.ends_with("}\n"));
    assert!(text.contains("<b>Repo&lt;User&gt;</b>"));
    assert!(text.contains("<b>Say&quot;Hi&quot;#1 &amp; `more`</b>"));
    assert!(text.contains("<b>dyn Mailer</b><br/><i>bind</i>"));
    assert!(text.contains(
        "tooltip=\"src/app/2.rs:12:5\\nconstruct failed: returned an error: connection \\\"refused\\\" <db>\""
    ));
    for line in text.lines() {
        assert!(balanced(line, true), "{line}");
    }
    // Every HTML-like label opens and closes once per node.
    for node in g.nodes() {
        let prefix = format!("  n{} [label=<", node.index());
        let line = text
            .lines()
            .find(|l| l.starts_with(&prefix))
            .unwrap_or_else(|| panic!("no node line for {}", node.name()));
        assert!(line.contains(">, tooltip="), "{line}");
    }
}

#[test]
fn dot_styles_the_critical_path_and_the_failure() {
    let g = graph(&app()).with_failure(&startup_error("Audit", Phase::Construct));
    let text = g.to_dot();
    assert!(text.contains("  n2 -> n1 [color=\"#d9480f\", penwidth=2.5];\n"));
    assert!(text.contains("  n2 -> n0;\n"));
    assert!(text.contains("  n4 -> n3;\n"));
    let line = |i: usize| {
        text.lines()
            .find(|l| l.starts_with(&format!("  n{i} [")))
            .unwrap()
            .to_owned()
    };
    assert!(line(3).contains("fillcolor=\"#ffe3e3\", color=\"#c92a2a\""));
    assert!(line(3).contains("<b>FAILED in construct: returned an error"));
    assert!(line(4).contains("style=\"rounded,filled,dashed\""));
    assert!(line(0).contains("color=\"#d9480f\", penwidth=2.5"));
    assert!(!line(3).contains("#d9480f"));
    assert_eq!(text, g.to_dot(), "deterministic");
}

#[test]
fn timed_graphs_show_startup_times() {
    let g = timed(graph(&app()), &[5, 300, 10, 100, 1]);
    let text = g.to_mermaid();
    assert!(text.contains("<b>Pool</b><br/>new()<br/>started in 300.0ms"));
    assert!(text.contains("bold: critical path, 4 of 5 providers, 316.0ms"));
}

#[test]
fn hook_timeouts_default_to_the_graph_setting() {
    let g = Graph::from_plan(plan(&awkward()), Duration::from_secs(3));
    let repo = &g.nodes()[2];
    assert_eq!(
        g.timeout_of(&repo.post_construct().unwrap()),
        Duration::from_secs(2)
    );
    assert_eq!(
        g.timeout_of(&repo.pre_destruct().unwrap()),
        Duration::from_secs(3)
    );
    assert!(g.to_dot().contains("default timeout: 3s"));
}

#[test]
fn durations_read_as_in_attributes() {
    assert_eq!(short_duration(Duration::from_secs(5)), "5s");
    assert_eq!(short_duration(Duration::from_secs(120)), "2m");
    assert_eq!(short_duration(Duration::from_secs(7200)), "2h");
    assert_eq!(short_duration(Duration::from_millis(250)), "250ms");
    assert_eq!(short_duration(Duration::from_micros(1500)), "1.5ms");
    assert_eq!(short_duration(Duration::ZERO), "0ms");
}

#[test]
fn locations_shorten_to_file_and_line() {
    assert_eq!(
        short_location("examples/src/hero_hq/db.rs:47:1"),
        "db.rs:47"
    );
    assert_eq!(short_location(r"C:\src\app\db.rs:3:9"), "db.rs:3");
    assert_eq!(short_location("fixture.rs"), "fixture.rs");
}

#[test]
fn causes_are_clipped_to_one_short_line() {
    assert_eq!(clip("a\nb   c"), "a b c");
    let long = "x".repeat(100);
    let clipped = clip(&long);
    assert_eq!(clipped.chars().count(), 60);
    assert!(clipped.ends_with('…'));
}
