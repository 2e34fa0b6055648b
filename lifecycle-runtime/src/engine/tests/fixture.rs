//! Hand-built plans whose providers fail on cue, and a log of what ran.
//!
//! A `Step` holds plain fn pointers, so the constructor of provider `I` is
//! `construct::<I>` and finds its script in a thread-local (constructors
//! run on the driving thread); hooks find it through the value they get.

use std::cell::RefCell;
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use crate::config::Settings;
use crate::wiring::{
    BoxError, ConstructFn, Deps, Entry, Erased, ErasedConstruct, Hook, HookSpec, Plan,
    ProviderMeta, Role, ScopeKind, Step,
};

pub(crate) const MAX: usize = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    Construct,
    PostConstruct,
    PreDestruct,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fault {
    Error,
    Panic,
    Timeout,
}

/// How a constructor or hook runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Sync constructor, inline (hooks: async).
    Inline,
    Async,
    /// On a thread of its own. Only on a real clock: a paused clock would
    /// jump past every timeout while the thread runs.
    Blocking,
}

/// A random DAG: `deps[i]` only names providers before `i`.
#[derive(Debug, Clone)]
pub(crate) struct Graph {
    pub(crate) deps: Vec<Vec<u32>>,
    pub(crate) post: Vec<bool>,
    pub(crate) pre: Vec<bool>,
    pub(crate) kind: Vec<Kind>,
}

/// A tiny deterministic PRNG (xorshift64*), so graphs are reproducible.
#[derive(Debug)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    }

    pub(crate) fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

impl Graph {
    pub(crate) fn random(rng: &mut Rng, kinds: &[Kind]) -> Graph {
        let n = 1 + rng.below(MAX as u64 - 1) as usize;
        let mut graph = Graph {
            deps: Vec::new(),
            post: Vec::new(),
            pre: Vec::new(),
            kind: Vec::new(),
        };
        for i in 0..n {
            let deps = (0..i as u32).filter(|_| rng.chance(30)).collect();
            graph.deps.push(deps);
            graph.post.push(rng.chance(60));
            graph.pre.push(rng.chance(80));
            graph
                .kind
                .push(kinds[rng.below(kinds.len() as u64) as usize]);
        }
        graph
    }

    pub(crate) fn len(&self) -> usize {
        self.deps.len()
    }
}

/// What happened, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Event {
    Constructed(usize),
    PostConstructed(usize),
    /// A `pre_destruct` began (whether or not it then fails).
    PreDestruct(usize),
}

#[derive(Debug)]
pub(crate) struct Script {
    pub(crate) graph: Graph,
    faults: Vec<(usize, Stage, Fault)>,
    pub(crate) log: Mutex<Vec<Event>>,
    /// Senders whose drop releases blocked hook threads.
    release: Mutex<Vec<mpsc::Sender<()>>>,
}

impl Script {
    pub(crate) fn new(graph: Graph, faults: Vec<(usize, Stage, Fault)>) -> Arc<Script> {
        Arc::new(Script {
            graph,
            faults,
            log: Mutex::default(),
            release: Mutex::default(),
        })
    }

    pub(crate) fn events(&self) -> Vec<Event> {
        self.log.lock().unwrap().clone()
    }

    /// Indices of the providers whose `pre_destruct` began, in order.
    pub(crate) fn pre_destructs(&self) -> Vec<usize> {
        self.events()
            .into_iter()
            .filter_map(|e| {
                if let Event::PreDestruct(i) = e {
                    Some(i)
                } else {
                    None
                }
            })
            .collect()
    }

    fn fault(&self, index: usize, stage: Stage) -> Option<Fault> {
        self.faults
            .iter()
            .find(|f| f.0 == index && f.1 == stage)
            .map(|f| f.2)
    }

    fn record(&self, event: Event) {
        self.log.lock().unwrap().push(event);
    }

    /// Release every blocked hook thread.
    pub(crate) fn release(&self) {
        self.release.lock().unwrap().clear();
    }

    /// The work of provider `index` at `stage`: succeed and log `done`, or
    /// fail as scripted.
    fn work(self: &Arc<Self>, index: usize, stage: Stage, done: Option<Event>) -> Hook {
        let fault = self.fault(index, stage);
        let script = self.clone();
        let body = move || -> Result<(), BoxError> {
            match fault {
                None => {
                    if let Some(event) = done {
                        script.record(event);
                    }
                    Ok(())
                }
                Some(Fault::Error) => Err(format!("P{index} {stage:?} failed").into()),
                Some(Fault::Panic) => panic!("P{index} {stage:?} panicked"),
                Some(Fault::Timeout) => unreachable!("handled below"),
            }
        };
        let blocking = self.graph.kind[index] == Kind::Blocking;
        match (fault, blocking) {
            (Some(Fault::Timeout), true) => {
                let (tx, rx) = mpsc::channel::<()>();
                self.release.lock().unwrap().push(tx);
                Hook::Blocking(Box::new(move || {
                    let _ = rx.recv();
                    Ok(())
                }))
            }
            (Some(Fault::Timeout), false) => Hook::Async(Box::pin(std::future::pending())),
            (_, true) => Hook::Blocking(Box::new(body)),
            (_, false) => Hook::Async(Box::pin(async move {
                tokio::task::yield_now().await;
                body()
            })),
        }
    }
}

thread_local! {
    static SCRIPT: RefCell<Option<Arc<Script>>> = const { RefCell::new(None) };
}

/// Make `script` the one constructors on this thread see.
pub(crate) fn install(script: &Arc<Script>) {
    SCRIPT.with(|s| *s.borrow_mut() = Some(script.clone()));
}

/// The value of every test provider.
#[derive(Debug)]
pub(crate) struct Node {
    index: usize,
    script: Arc<Script>,
}

fn node(value: &Erased) -> &Arc<Node> {
    value.downcast_ref::<Node>().expect("test slots hold nodes")
}

fn construct<const I: usize>(deps: Deps<'_>) -> ErasedConstruct {
    let script = SCRIPT
        .with(|s| s.borrow().clone())
        .expect("script installed");
    for i in 0..deps.len() {
        // Panics (and fails the test) if a dependency is not constructed.
        let dep = deps.at::<Node>(i);
        assert!(dep.index < I, "dependencies come first");
    }
    let value = Arc::new(Node {
        index: I,
        script: script.clone(),
    });
    if script.graph.kind[I] == Kind::Inline
        && script.fault(I, Stage::Construct) != Some(Fault::Timeout)
    {
        return match script.fault(I, Stage::Construct) {
            None => {
                script.record(Event::Constructed(I));
                ErasedConstruct::Ready(Ok(Erased::new(value)))
            }
            Some(Fault::Error) => {
                ErasedConstruct::Ready(Err(format!("P{I} Construct failed").into()))
            }
            Some(_) => panic!("P{I} Construct panicked"),
        };
    }
    match script.work(I, Stage::Construct, Some(Event::Constructed(I))) {
        Hook::Async(f) => {
            ErasedConstruct::Async(Box::pin(
                async move { f.await.map(|()| Erased::new(value)) },
            ))
        }
        Hook::Blocking(f) => {
            ErasedConstruct::Blocking(Box::new(move || f().map(|()| Erased::new(value))))
        }
    }
}

fn post_construct(value: &Erased) -> Option<Hook> {
    let node = node(value);
    let i = node.index;
    node.script.graph.post[i].then(|| {
        node.script
            .work(i, Stage::PostConstruct, Some(Event::PostConstructed(i)))
    })
}

fn pre_destruct(value: &Erased) -> Option<Hook> {
    let node = node(value);
    let i = node.index;
    if !node.script.graph.pre[i] {
        return None;
    }
    node.script.record(Event::PreDestruct(i));
    Some(node.script.work(i, Stage::PreDestruct, None))
}

macro_rules! constructors {
    ($($i:literal)*) => { [$(construct::<$i> as ConstructFn),*] };
}

const CONSTRUCTORS: [ConstructFn; MAX] = constructors!(0 1 2 3 4 5 6 7 8 9 10 11);

pub(crate) const NAMES: [&str; MAX] = [
    "P0", "P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9", "P10", "P11",
];

fn spec(method: &'static str) -> HookSpec {
    HookSpec {
        method,
        timeout: None,
    }
}

/// A plan for `graph`, leaked: plans are `'static`.
pub(crate) fn plan(graph: &Graph) -> &'static Plan {
    let entries: Vec<Entry> = (0..graph.len())
        .map(|i| {
            let meta: &'static ProviderMeta = Box::leak(Box::new(ProviderMeta {
                name: NAMES[i],
                location: "fixture.rs",
                construct: spec("new"),
                post_construct: graph.post[i].then(|| spec("post")),
                pre_destruct: graph.pre[i].then(|| spec("pre")),
                scope: ScopeKind::Singleton,
                role: Role::Provider,
                user_code: true,
                declared: "",
            }));
            let step: &'static Step = Box::leak(Box::new(Step {
                meta,
                construct: CONSTRUCTORS[i],
                post_construct,
                pre_destruct,
            }));
            Entry::new(
                step,
                Box::leak(graph.deps[i].clone().into_boxed_slice()),
                &[],
            )
        })
        .collect();
    Plan::leak("TestModule", entries)
}

/// Settings for tests: no signal listeners, short timeouts on the paused
/// clock are as exact as long ones.
pub(crate) fn settings(concurrent: bool) -> Settings {
    Settings {
        concurrent,
        signals: false,
        ..Settings::default()
    }
}

pub(crate) const HOOK_TIMEOUT: Duration = crate::config::DEFAULT_HOOK_TIMEOUT;
