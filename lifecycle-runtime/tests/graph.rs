//! The graph of real modules: what `M::graph()` holds, the startup times
//! `app.graph()` weighs the critical path by, and a failed bootstrap drawn
//! with the provider at fault.

#![allow(missing_debug_implementations, clippy::new_without_default)]

use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use lifecycle_runtime::{Graph, Outcome, Phase, module, provider};

pub struct Config;

#[provider]
impl Config {
    pub fn new() -> Self {
        Config
    }
}

pub struct User;

pub struct Repo<T>(PhantomData<T>);

#[provider(timeout = "1500ms")]
pub fn users(_config: &Config) -> Repo<User> {
    Repo(PhantomData)
}

pub trait Mailer: Send + Sync {}
struct Smtp;
impl Mailer for Smtp {}

#[provider]
pub fn mailer(_config: &Config) -> Arc<dyn Mailer> {
    Arc::new(Smtp)
}

pub struct Database {
    _config: Arc<Config>,
}

#[provider]
impl Database {
    pub async fn new(config: Arc<Config>) -> Self {
        tokio::time::sleep(Duration::from_millis(30)).await;
        Database { _config: config }
    }

    #[post_construct(timeout = "2s")]
    async fn migrate(&self) {
        tokio::time::sleep(Duration::from_millis(70)).await;
    }

    #[pre_destruct(timeout = "5s")]
    fn close(&self) {}
}

#[provider]
pub struct Accounts {
    pub db: Arc<Database>,
    pub users: Arc<Repo<User>>,
    pub mailer: Arc<dyn Mailer>,
}

#[module(providers = [Config, Database])]
pub struct DbModule;

#[module(imports = [DbModule], providers = [users, mailer, Accounts])]
pub struct AppModule;

fn index(graph: &Graph, name: &str) -> usize {
    graph
        .find(name)
        .unwrap_or_else(|| panic!("no node {name}"))
        .index()
}

fn names(graph: &Graph, ids: &[usize]) -> Vec<&'static str> {
    ids.iter().map(|&i| graph.nodes()[i].name()).collect()
}

#[test]
fn a_module_exposes_its_whole_graph_as_data() {
    let graph = AppModule::graph();
    assert_eq!(graph.module(), "AppModule");
    let mut all: Vec<&str> = graph.nodes().iter().map(|n| n.name()).collect();
    all.sort_unstable();
    assert_eq!(
        all,
        ["Accounts", "Config", "Database", "Repo<User>", "dyn Mailer"]
    );

    let accounts = index(&graph, "Accounts");
    assert_eq!(
        names(&graph, graph.dependencies_of(accounts)),
        ["Database", "Repo<User>", "dyn Mailer"]
    );
    let config = index(&graph, "Config");
    let mut dependents = names(&graph, &graph.dependents_of(config).collect::<Vec<_>>());
    dependents.sort_unstable();
    assert_eq!(dependents, ["Database", "Repo<User>", "dyn Mailer"]);
    assert_eq!(graph.edges().len(), 6);
    for edge in graph.edges() {
        assert!(edge.dependency < edge.dependent, "{edge:?}");
    }

    let db = graph.find("Database").unwrap();
    assert_eq!(db.constructor().method, "new");
    assert_eq!(db.constructor().timeout, None);
    let post = db.post_construct().unwrap();
    assert_eq!(
        (post.method, post.timeout),
        ("migrate", Some(Duration::from_secs(2)))
    );
    let pre = db.pre_destruct().unwrap();
    assert_eq!(
        (pre.method, pre.timeout),
        ("close", Some(Duration::from_secs(5)))
    );
    assert_eq!(graph.timeout_of(&db.constructor()), Duration::from_secs(10));
    assert!(db.location().contains("graph.rs:"), "{}", db.location());

    let users = graph.find("Repo<User>").unwrap();
    assert_eq!(users.constructor().method, "users");
    assert_eq!(
        users.constructor().timeout,
        Some(Duration::from_millis(1500))
    );

    // Every chain has three nodes; ties go to the earliest dependency.
    assert_eq!(graph.critical_path().len(), 3);
    assert_eq!(graph.critical_path()[0], config);
    assert_eq!(*graph.critical_path().last().unwrap(), accounts);
    assert_eq!(graph.critical_path_time(), None);
}

#[test]
fn renderings_name_every_provider_and_edge() {
    let graph = AppModule::graph();
    let mermaid = graph.to_mermaid();
    assert!(mermaid.contains("\nflowchart TD\n"));
    assert!(mermaid.contains("<b>Repo#lt;User#gt;</b><br/>users() ≤ 1500ms"));
    assert!(mermaid.contains("<b>dyn Mailer</b><br/>mailer()"));
    assert!(mermaid.contains("post_construct migrate() ≤ 2s<br/>pre_destruct close() ≤ 5s"));
    for edge in graph.edges() {
        let arrow = format!("    n{} --> n{}\n", edge.dependent, edge.dependency);
        assert!(mermaid.contains(&arrow), "{arrow}");
    }
    let dot = graph.to_dot();
    assert!(dot.starts_with("digraph \"AppModule\" {"));
    assert!(dot.contains("<b>Repo&lt;User&gt;</b>"));
    assert_eq!(dot.matches(" -> ").count(), graph.edges().len());
}

#[tokio::test(start_paused = true)]
async fn a_running_app_weighs_the_critical_path_by_startup_time() {
    let app = AppModule::bootstrap().await.unwrap();
    let graph = app.graph();
    let db = graph.find("Database").unwrap();
    assert_eq!(db.startup(), Some(Duration::from_millis(100)));
    assert_eq!(
        names(&graph, graph.critical_path()),
        ["Config", "Database", "Accounts"]
    );
    assert_eq!(graph.critical_path_time(), Some(Duration::from_millis(100)));
    assert!(graph.to_mermaid().contains("started in 100.0ms"));
    app.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_builder_hook_timeout_is_the_default_the_graph_shows() {
    let app = AppModule::builder()
        .hook_timeout(Duration::from_secs(3))
        .handle_signals(false)
        .bootstrap()
        .await
        .unwrap();
    assert_eq!(app.graph().hook_timeout(), Duration::from_secs(3));
    assert!(app.graph().to_dot().contains("default timeout: 3s"));
    app.shutdown().await.unwrap();
}

pub struct Ledger;

#[provider]
impl Ledger {
    pub fn new(_config: &Config) -> Result<Self, std::io::Error> {
        Err(std::io::Error::other("ledger file is locked"))
    }
}

#[provider]
pub struct Billing {
    pub ledger: Arc<Ledger>,
}

#[provider]
pub struct Invoices {
    pub billing: Arc<Billing>,
    pub config: Arc<Config>,
}

#[module(imports = [DbModule], providers = [Ledger, Billing, Invoices])]
pub struct BillingModule;

#[tokio::test]
async fn a_failed_bootstrap_is_drawn_with_the_provider_at_fault() {
    let error = BillingModule::builder()
        .handle_signals(false)
        .bootstrap()
        .await
        .unwrap_err();
    let graph = BillingModule::graph().with_failure(&error);

    let ledger = index(&graph, "Ledger");
    match graph.nodes()[ledger].outcome() {
        Some(Outcome::Failed { phase, cause }) => {
            assert_eq!(*phase, Phase::Construct);
            assert!(cause.contains("ledger file is locked"), "{cause}");
        }
        other => panic!("expected Ledger to have failed, got {other:?}"),
    }
    for name in ["Billing", "Invoices"] {
        assert_eq!(
            graph.find(name).unwrap().outcome(),
            Some(&Outcome::NotConstructed),
            "{name}"
        );
    }
    for name in ["Config", "Database"] {
        assert_eq!(graph.find(name).unwrap().outcome(), None, "{name}");
    }

    let mermaid = graph.to_mermaid();
    assert!(
        mermaid.contains(&format!("    class n{ledger} failed\n")),
        "{mermaid}"
    );
    assert!(mermaid.contains("FAILED in construct: returned an error: ledger file is locked"));
    let billing = index(&graph, "Billing");
    let invoices = index(&graph, "Invoices");
    assert!(mermaid.contains(&format!(
        "    class n{billing},n{invoices} notConstructed\n"
    )));

    let dot = graph.to_dot();
    let ledger_line = dot
        .lines()
        .find(|l| l.starts_with(&format!("  n{ledger} [")))
        .unwrap();
    assert!(ledger_line.contains("color=\"#c92a2a\""), "{ledger_line}");
    assert!(ledger_line.contains("FAILED in construct"), "{ledger_line}");
}
