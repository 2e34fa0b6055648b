//! `cargo run -p lifecycle-examples --bin graph -- [--out DIR] [--run [--db PATH]]`:
//! Hero HQ's dependency graph as `hero-hq.dot` and `hero-hq.mmd`.

use std::process::ExitCode;

use lifecycle_examples::graph::{Options, picture, write};

#[tokio::main]
async fn main() -> ExitCode {
    let options = match Options::parse(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(e) => {
            eprintln!("graph: {e}");
            eprintln!("usage: graph [--out DIR] [--run [--db PATH] [--grid-warmup-ms N]]");
            return ExitCode::from(2);
        }
    };
    if options.run {
        lifecycle_examples::init_logging();
    }
    let (graph, error) = match picture(options.run, options.hq_args).await {
        Ok(picture) => picture,
        Err(e) => {
            eprintln!("graph: {e}");
            return ExitCode::from(2);
        }
    };
    let written = match write(&graph, &options.out) {
        Ok(written) => written,
        Err(e) => {
            eprintln!("graph: cannot write to {}: {e}", options.out.display());
            return ExitCode::FAILURE;
        }
    };
    for path in &written {
        println!("wrote {}", path.display());
    }
    let path = graph.critical_path();
    let names: Vec<&str> = path.iter().map(|&i| graph.nodes()[i].name()).collect();
    match graph.critical_path_time() {
        Some(time) => println!("critical path ({time:.1?}): {}", names.join(" -> ")),
        None => println!("critical path: {}", names.join(" -> ")),
    }
    match error {
        None => ExitCode::SUCCESS,
        Some(e) => {
            eprintln!("graph: {e}");
            ExitCode::FAILURE
        }
    }
}
