//! Pictures of Hero HQ's dependency graph, as Graphviz and Mermaid files.
//!
//! `HeroHq::graph()` is the graph as the modules declare it: every
//! provider, every dependency, every hook with its timeout, and the
//! critical path by number of providers. With `--run`, the example
//! bootstraps Hero HQ once, draws [`App::graph`](lifecycle_runtime::App::graph)
//! (the critical path weighed by the measured startup times) and shuts it
//! down; if startup fails, it draws the provider that failed in red and
//! the providers never constructed because of it, like Uber fx's
//! `VisualizeError`, and exits 1.
//!
//! ```text
//! cargo run -p lifecycle-examples --bin graph -- --out target/pictures
//! dot -Tsvg target/pictures/hero-hq.dot > hero-hq.svg    # with Graphviz
//! ```

use std::path::{Path, PathBuf};

use lifecycle_runtime::{Error, Graph};

use crate::hero_hq::{self, HeroHq, HqSettings};

/// What the command line asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Where the files go (`--out`, default the current directory).
    pub out: PathBuf,
    /// Bootstrap Hero HQ and draw the measured graph (`--run`).
    pub run: bool,
    /// Hero HQ's own options, for `--run` (`--db`, `--grid-warmup-ms`).
    pub hq_args: Vec<String>,
}

/// The files [`write()`] creates in the output directory.
pub const FILES: [&str; 2] = ["hero-hq.dot", "hero-hq.mmd"];

impl Options {
    /// Parse `--out DIR` and `--run`; anything else goes to Hero HQ.
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Options, String> {
        let mut options = Options {
            out: PathBuf::from("."),
            run: false,
            hq_args: Vec::new(),
        };
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            if arg == "--run" {
                options.run = true;
            } else if arg == "--out" {
                let dir = args.next().ok_or("`--out` needs a directory")?;
                options.out = PathBuf::from(dir);
            } else if let Some(dir) = arg.strip_prefix("--out=") {
                options.out = PathBuf::from(dir);
            } else {
                options.hq_args.push(arg);
            }
        }
        if !options.run && !options.hq_args.is_empty() {
            return Err(format!(
                "unexpected argument `{}` (Hero HQ's options need `--run`)",
                options.hq_args[0]
            ));
        }
        Ok(options)
    }
}

/// Hero HQ's graph: as declared, or, with `run`, as measured by one real
/// bootstrap (or marked with the failure that stopped it).
pub async fn picture(run: bool, hq_args: Vec<String>) -> Result<(Graph, Option<Error>), String> {
    if !run {
        return Ok((HeroHq::graph(), None));
    }
    let settings = HqSettings::parse(hq_args, |k| std::env::var(k).ok())?;
    HqSettings::choose(settings);
    match hero_hq::builder().bootstrap().await {
        Ok(app) => {
            let graph = app.graph();
            let stopped = app.shutdown().await.err();
            Ok((graph, stopped))
        }
        Err(e) => {
            let graph = HeroHq::graph().with_failure(&e);
            Ok((graph, Some(e)))
        }
    }
}

/// Write `graph` as [`FILES`] into `dir`, creating it if needed; returns
/// the paths written.
pub fn write(graph: &Graph, dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let dot = dir.join(FILES[0]);
    let mermaid = dir.join(FILES[1]);
    std::fs::write(&dot, graph.to_dot())?;
    std::fs::write(&mermaid, graph.to_mermaid())?;
    Ok(vec![dot, mermaid])
}
