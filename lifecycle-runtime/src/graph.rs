//! A module's dependency graph as data, with its critical path, the marks a
//! failed startup leaves on it, and Graphviz and Mermaid renderings.

mod dot;
mod mermaid;

#[cfg(test)]
mod tests;

use std::fmt::Write as _;
use std::time::Duration;

use crate::config::DEFAULT_HOOK_TIMEOUT;
use crate::engine::Timing;
use crate::error::{Error, Phase};
use crate::wiring::{HookSpec, Module, Plan, Role, ScopeKind};

/// A module's whole dependency graph: every provider of its subtree, every
/// dependency between them, their hooks, timeouts and source locations.
///
/// Nodes are numbered in the plan's fixed construction order: a node's
/// dependencies always have smaller indices, startup goes up the indices
/// and teardown down. Names are unique except for the members of one
/// collection (`#[provider(group = [dyn Trait])]`), which all carry the
/// collection's name: use indices to refer to nodes.
///
/// Get one from the generated `M::graph()` (no app needed), or from
/// [`App::graph`](crate::App::graph) with the measured startup times.
/// [`to_dot`](Self::to_dot) and [`to_mermaid`](Self::to_mermaid) draw it,
/// with its [critical path](Self::critical_path) in bold and, after
/// [`with_failure`](Self::with_failure), the provider that failed in red.
///
/// ```
/// use std::sync::Arc;
/// use lifecycle_runtime::{module, provider};
///
/// #[provider] pub struct Config;
/// #[provider] pub struct Pool { config: Arc<Config> }
/// #[provider] pub struct Users { pool: Arc<Pool>, config: Arc<Config> }
/// #[provider] pub struct Audit { config: Arc<Config> }
///
/// #[module(providers = [Config, Pool, Users, Audit])]
/// pub struct AppModule;
///
/// let graph = AppModule::graph();
/// assert_eq!(graph.module(), "AppModule");
/// let users = graph.find("Users").unwrap().index();
/// let names = |ids: &[usize]| ids.iter().map(|&i| graph.nodes()[i].name()).collect::<Vec<_>>();
/// assert_eq!(names(graph.dependencies_of(users)), ["Pool", "Config"]);
/// assert_eq!(names(graph.critical_path()), ["Config", "Pool", "Users"]);
///
/// let mermaid = graph.to_mermaid();
/// assert!(mermaid.contains("flowchart TD"));
/// assert!(graph.to_dot().starts_with("digraph"));
/// ```
#[derive(Debug, Clone)]
pub struct Graph {
    module: &'static str,
    nodes: Vec<Node>,
    edges: Vec<Edge>,
    hook_timeout: Duration,
    critical: Vec<usize>,
    timed: bool,
}

/// One provider of a [`Graph`].
#[derive(Debug, Clone)]
pub struct Node {
    index: usize,
    name: &'static str,
    location: &'static str,
    role: Role,
    scope: ScopeKind,
    constructor: HookInfo,
    post_construct: Option<HookInfo>,
    pre_destruct: Option<HookInfo>,
    dependencies: Vec<usize>,
    startup: Option<Duration>,
    outcome: Option<Outcome>,
}

/// A constructor or hook of a [`Node`]: the method or fn, and the timeout
/// its attribute sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HookInfo {
    /// The method or fn name (`new`, `warm_up`); a struct-form provider's
    /// constructor is named like the struct.
    pub method: &'static str,
    /// `timeout = "…"` from the attribute; `None` means the app's hook
    /// timeout ([`Graph::hook_timeout`]).
    pub timeout: Option<Duration>,
}

fn hook(spec: HookSpec) -> HookInfo {
    HookInfo {
        method: spec.method,
        timeout: spec.timeout,
    }
}

/// A dependency: `dependent` needs `dependency`, which is constructed
/// first. Both are node indices, `dependency < dependent`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Edge {
    /// The node that needs the other.
    pub dependent: usize,
    /// The node it needs.
    pub dependency: usize,
}

/// What a failed startup or shutdown did to a node; see
/// [`Graph::with_failure`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// The node's constructor or one of its hooks failed.
    Failed {
        /// The phase that failed.
        phase: Phase,
        /// Why, as the error says it.
        cause: String,
    },
    /// Never constructed: the node depends, directly or through others, on
    /// a provider whose constructor or `post_construct` failed.
    NotConstructed,
}

impl Graph {
    /// The graph of module `M`; the same as the generated `M::graph()`.
    pub fn of<M: Module>() -> Graph {
        Graph::from_plan(&M::PLAN, DEFAULT_HOOK_TIMEOUT)
    }

    pub(crate) fn from_plan(plan: &'static Plan, hook_timeout: Duration) -> Graph {
        let mut nodes = Vec::with_capacity(plan.len());
        let mut edges = Vec::new();
        for (index, entry) in plan.unpacked().iter().enumerate() {
            let meta = entry.step.meta;
            let mut dependencies: Vec<usize> = Vec::with_capacity(entry.deps.len());
            for &dep in entry.deps {
                let dep = dep as usize;
                if !dependencies.contains(&dep) {
                    dependencies.push(dep);
                    edges.push(Edge {
                        dependent: index,
                        dependency: dep,
                    });
                }
            }
            nodes.push(Node {
                index,
                name: meta.name,
                location: meta.location,
                role: meta.role,
                scope: meta.scope,
                constructor: hook(meta.construct),
                post_construct: meta.post_construct.map(hook),
                pre_destruct: meta.pre_destruct.map(hook),
                dependencies,
                startup: None,
                outcome: None,
            });
        }
        let mut graph = Graph {
            module: plan.module,
            nodes,
            edges,
            hook_timeout,
            critical: Vec::new(),
            timed: false,
        };
        graph.critical = graph.longest_chain();
        graph
    }

    /// Record how long each started node took (constructor plus
    /// `post_construct`), and weigh the critical path by it.
    pub(crate) fn with_timings<'a>(
        mut self,
        started: impl Iterator<Item = (usize, Option<&'a Timing>)>,
    ) -> Graph {
        for (slot, timing) in started {
            if let Some(node) = self.nodes.get_mut(slot) {
                node.startup = Some(timing.map_or(Duration::ZERO, Timing::total));
                self.timed = true;
            }
        }
        self.critical = self.longest_chain();
        self
    }

    /// The module the graph belongs to.
    pub fn module(&self) -> &'static str {
        self.module
    }

    /// Every node, in construction order: `nodes()[i].index() == i`.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// Every dependency, grouped by dependent in construction order, each
    /// group in the order of the dependent's fields or parameters. A
    /// dependency named twice is one edge.
    pub fn edges(&self) -> &[Edge] {
        &self.edges
    }

    /// The indices of the nodes that node `index` needs, in the order of
    /// its fields or parameters. Panics if `index` is out of range.
    pub fn dependencies_of(&self, index: usize) -> &[usize] {
        &self.nodes[index].dependencies
    }

    /// The indices of the nodes that need node `index`, in construction
    /// order.
    pub fn dependents_of(&self, index: usize) -> impl Iterator<Item = usize> + '_ {
        self.edges
            .iter()
            .filter(move |e| e.dependency == index)
            .map(|e| e.dependent)
    }

    /// The first node named `name` (`"Database"`, `"dyn Mailer"`); the
    /// members of a collection share its name, see [`find_all`](Self::find_all).
    pub fn find(&self, name: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.name == name)
    }

    /// Every node named `name`, in construction order.
    pub fn find_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.nodes.iter().filter(move |n| n.name == name)
    }

    /// The timeout of every constructor and hook whose attribute sets
    /// none: [`DEFAULT_HOOK_TIMEOUT`](crate::DEFAULT_HOOK_TIMEOUT), or
    /// what the app's builder set.
    pub fn hook_timeout(&self) -> Duration {
        self.hook_timeout
    }

    /// The timeout that applies to `hook`: its own, or the graph's
    /// [`hook_timeout`](Self::hook_timeout).
    pub fn timeout_of(&self, hook: &HookInfo) -> Duration {
        hook.timeout.unwrap_or(self.hook_timeout)
    }

    /// The longest chain of dependencies among the nodes built at startup,
    /// as node indices from the first constructed to the last: what bounds
    /// a [concurrent](crate::Builder::concurrent) startup.
    ///
    /// From [`App::graph`](crate::App::graph) the chain is the one whose
    /// measured startup times add up to the most; otherwise every node
    /// counts one. Ties go to the chain with more nodes, then to
    /// dependencies earlier in the plan. Empty for an empty graph.
    pub fn critical_path(&self) -> &[usize] {
        &self.critical
    }

    /// `true` if node `index` is on the [critical path](Self::critical_path).
    pub fn is_critical(&self, index: usize) -> bool {
        self.critical.contains(&index)
    }

    /// `true` if `edge` joins two consecutive nodes of the
    /// [critical path](Self::critical_path).
    pub fn is_critical_edge(&self, edge: &Edge) -> bool {
        self.critical
            .windows(2)
            .any(|w| w[0] == edge.dependency && w[1] == edge.dependent)
    }

    /// The measured startup time of the critical path, when the graph
    /// comes from a running app.
    pub fn critical_path_time(&self) -> Option<Duration> {
        self.timed.then(|| {
            self.critical
                .iter()
                .filter_map(|&i| self.nodes[i].startup)
                .sum()
        })
    }

    /// Mark what `error` did to the graph, as Uber fx's `VisualizeError`
    /// does: every node whose constructor or hook failed gets
    /// [`Outcome::Failed`] with the phase and cause, and every node that
    /// depends on a node whose constructor or `post_construct` failed,
    /// directly or not, gets [`Outcome::NotConstructed`]. Failures of app
    /// hooks name no node and leave the graph as it is.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use lifecycle_runtime::{module, provider, Outcome, Phase};
    ///
    /// #[provider] pub struct Config;
    /// pub struct Pool;
    /// #[provider]
    /// impl Pool {
    ///     pub fn new(_config: &Config) -> Result<Self, std::io::Error> {
    ///         Err(std::io::Error::other("connection refused"))
    ///     }
    /// }
    /// #[provider] pub struct Users { pool: Arc<Pool> }
    /// #[module(providers = [Config, Pool, Users])]
    /// pub struct AppModule;
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// let error = AppModule::bootstrap().await.unwrap_err();
    /// let graph = AppModule::graph().with_failure(&error);
    /// let outcome = |name| graph.find(name).unwrap().outcome().cloned();
    /// assert_eq!(outcome("Config"), None);
    /// assert!(matches!(outcome("Pool"), Some(Outcome::Failed { phase: Phase::Construct, .. })));
    /// assert_eq!(outcome("Users"), Some(Outcome::NotConstructed));
    /// assert!(graph.to_mermaid().contains("class n1 failed"));
    /// # }
    /// ```
    pub fn with_failure(mut self, error: &Error) -> Graph {
        let mut blocked = vec![false; self.nodes.len()];
        for failure in error.failures() {
            for index in self.failed_nodes(failure.provider) {
                let node = &mut self.nodes[index];
                if node.outcome.is_none() {
                    node.outcome = Some(Outcome::Failed {
                        phase: failure.phase,
                        cause: failure.cause.to_string(),
                    });
                }
                if matches!(failure.phase, Phase::Construct | Phase::PostConstruct) {
                    blocked[index] = true;
                }
            }
        }
        // Dependencies come first, so one pass in plan order propagates.
        for index in 0..self.nodes.len() {
            let node = &self.nodes[index];
            if !blocked[index] && node.dependencies.iter().any(|&d| blocked[d]) {
                blocked[index] = true;
                let node = &mut self.nodes[index];
                if node.outcome.is_none() {
                    node.outcome = Some(Outcome::NotConstructed);
                }
            }
        }
        self
    }

    /// The nodes a failure of `provider` names: the one provider of that
    /// name, or, for a collection's name, all of its members.
    fn failed_nodes(&self, provider: &str) -> Vec<usize> {
        let matching: Vec<&Node> = self.find_all(provider).collect();
        let own: Vec<usize> = matching
            .iter()
            .filter(|n| n.role != Role::Group)
            .map(|n| n.index)
            .collect();
        if own.is_empty() {
            matching.iter().map(|n| n.index).collect()
        } else {
            own
        }
    }

    /// Longest chain over the app-wide nodes: weight, then node count.
    fn longest_chain(&self) -> Vec<usize> {
        let weight = |node: &Node| -> (u128, usize) {
            if self.timed {
                (node.startup.unwrap_or_default().as_nanos(), 1)
            } else {
                (1, 1)
            }
        };
        let mut best: Vec<(u128, usize)> = vec![(0, 0); self.nodes.len()];
        let mut previous: Vec<Option<usize>> = vec![None; self.nodes.len()];
        let mut end: Option<usize> = None;
        for node in &self.nodes {
            if !node.scope.is_app_wide() {
                continue;
            }
            let mut chosen: Option<usize> = None;
            for &dep in &node.dependencies {
                if !self.nodes[dep].scope.is_app_wide() {
                    continue;
                }
                let better = match chosen {
                    None => true,
                    Some(c) => best[dep] > best[c] || (best[dep] == best[c] && dep < c),
                };
                if better {
                    chosen = Some(dep);
                }
            }
            let (w, n) = weight(node);
            let (w0, n0) = chosen.map_or((0, 0), |c| best[c]);
            best[node.index] = (w0 + w, n0 + n);
            previous[node.index] = chosen;
            if end.is_none_or(|e| best[node.index] > best[e]) {
                end = Some(node.index);
            }
        }
        let mut path = Vec::new();
        let mut at = end;
        while let Some(i) = at {
            path.push(i);
            at = previous[i];
        }
        path.reverse();
        path
    }

    /// The lines of a node's label, for both renderings.
    fn label(&self, node: &Node) -> Vec<Line> {
        let mut lines = vec![Line::Name(node.name.to_owned())];
        let tag = match (node.role, node.scope) {
            (Role::Input, _) | (_, ScopeKind::Input) => Some("input"),
            (Role::Bind, _) => Some("bind"),
            (Role::Group, _) => Some("group member"),
            (Role::Provider, ScopeKind::Request) => Some("request scope"),
            (Role::Provider, ScopeKind::Transient) => Some("transient"),
            (Role::Provider, ScopeKind::Singleton) => None,
        };
        if let Some(tag) = tag {
            lines.push(Line::Tag(tag.to_owned()));
        }
        let ctor = node.constructor;
        // A struct-form provider's constructor is the struct literal.
        let literal = ctor.method == node.name && ctor.timeout.is_none();
        if node.role == Role::Provider && !literal {
            lines.push(Line::Plain(hook_line(None, &ctor)));
        }
        if let Some(hook) = &node.post_construct {
            lines.push(Line::Plain(hook_line(Some("post_construct"), hook)));
        }
        if let Some(hook) = &node.pre_destruct {
            lines.push(Line::Plain(hook_line(Some("pre_destruct"), hook)));
        }
        if let Some(startup) = node.startup {
            lines.push(Line::Plain(format!("started in {startup:.1?}")));
        }
        match &node.outcome {
            Some(Outcome::Failed { phase, cause }) => {
                lines.push(Line::Failure(format!("FAILED in {phase}: {}", clip(cause))));
            }
            Some(Outcome::NotConstructed) => lines.push(Line::Tag("not constructed".to_owned())),
            None => {}
        }
        lines.push(Line::Location(short_location(node.location)));
        lines
    }

    /// One line under the picture: what bold means, the default timeout.
    fn caption(&self) -> String {
        let mut caption = self.module.to_owned();
        if !self.critical.is_empty() {
            let _ = write!(
                caption,
                " · bold: critical path, {} of {} providers",
                self.critical.len(),
                self.nodes.len()
            );
            if let Some(time) = self.critical_path_time() {
                let _ = write!(caption, ", {time:.1?}");
            }
        }
        let _ = write!(
            caption,
            " · default timeout: {}",
            short_duration(self.hook_timeout)
        );
        caption
    }
}

impl Node {
    /// Position in the plan: construction order.
    pub fn index(&self) -> usize {
        self.index
    }

    /// The provided type as written (`Database`, `Repo<User>`, `dyn Mailer`).
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// `file:line:column` of the provider's definition.
    pub fn location(&self) -> &'static str {
        self.location
    }

    /// What the node is: a provider, an input, a binding or a collection member.
    pub fn role(&self) -> Role {
        self.role
    }

    /// How long its value lives.
    pub fn scope(&self) -> ScopeKind {
        self.scope
    }

    /// The constructor.
    pub fn constructor(&self) -> HookInfo {
        self.constructor
    }

    /// The `#[post_construct]` hook, if any.
    pub fn post_construct(&self) -> Option<HookInfo> {
        self.post_construct
    }

    /// The `#[pre_destruct]` hook, if any.
    pub fn pre_destruct(&self) -> Option<HookInfo> {
        self.pre_destruct
    }

    /// The indices of the nodes it needs, in the order of its fields or
    /// parameters.
    pub fn dependencies(&self) -> &[usize] {
        &self.dependencies
    }

    /// How long it took to start (constructor plus `post_construct`), in a
    /// graph from [`App::graph`](crate::App::graph).
    pub fn startup(&self) -> Option<Duration> {
        self.startup
    }

    /// What a failure did to it, after [`Graph::with_failure`].
    pub fn outcome(&self) -> Option<&Outcome> {
        self.outcome.as_ref()
    }
}

/// One line of a node's label; each rendering styles and escapes it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Line {
    Name(String),
    Tag(String),
    Plain(String),
    Failure(String),
    Location(String),
}

fn hook_line(phase: Option<&str>, hook: &HookInfo) -> String {
    let mut line = String::new();
    if let Some(phase) = phase {
        line.push_str(phase);
        line.push(' ');
    }
    let _ = write!(line, "{}()", hook.method);
    if let Some(timeout) = hook.timeout {
        let _ = write!(line, " ≤ {}", short_duration(timeout));
    }
    line
}

/// `5s`, `250ms`, `2m`: how timeouts are written in attributes.
fn short_duration(d: Duration) -> String {
    if d.subsec_nanos() == 0 && d.as_secs() > 0 {
        let s = d.as_secs();
        if s.is_multiple_of(3600) {
            format!("{}h", s / 3600)
        } else if s.is_multiple_of(60) {
            format!("{}m", s / 60)
        } else {
            format!("{s}s")
        }
    } else if d.as_nanos().is_multiple_of(1_000_000) {
        format!("{}ms", d.as_millis())
    } else {
        format!("{d:?}")
    }
}

/// `db.rs:47` from `examples/src/hero_hq/db.rs:47:1`.
fn short_location(location: &str) -> String {
    let without_column = match location.rsplit_once(':') {
        Some((rest, col)) if col.chars().all(|c| c.is_ascii_digit()) && rest.contains(':') => rest,
        _ => location,
    };
    without_column
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(without_column)
        .to_owned()
}

/// A cause fit for a label: one line, at most 60 characters.
fn clip(cause: &str) -> String {
    let one_line = cause.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= 60 {
        one_line
    } else {
        let mut clipped: String = one_line.chars().take(59).collect();
        clipped.push('…');
        clipped
    }
}
