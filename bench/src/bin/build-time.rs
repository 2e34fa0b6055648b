//! Times the build of generated user crates, annotated with this library
//! and wired by hand, side by side in one run.
//!
//! ```text
//! cargo run --release -p lifecycle-bench --bin build-time -- [--sizes 100,500,1000] [--runs 3] [--optimized-macros] [--instructions]
//! ```
//!
//! `--instructions` also counts the instructions rustc executes for the
//! user crate in each of the three builds, under valgrind's cachegrind
//! (which must be installed): one run per build, and the counts are the
//! same from run to run, so on a busy machine they compare the variants
//! where wall times scatter. They are not times: rustc's threads are
//! counted together, and waiting on memory costs nothing.
//!
//! `--optimized-macros` builds both variants with
//! `[profile.dev.build-override] opt-level = 3`: proc macros (and their
//! syn/quote) compiled with optimizations, as the README suggests for
//! large graphs.
//!
//! For each size it writes both crates under `target/build-time/`, builds
//! their dependencies once (shared target directory), then alternates the
//! two variants `runs` times for each measurement: a clean build of the
//! user crate only, a rebuild after touching one module file, and a
//! `cargo check` after touching it (with the check's incremental state
//! warm, as in an edit-check loop). It prints medians and ratios.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use lifecycle_bench::generator::{Graph, Shape, Variant};

struct Args {
    sizes: Vec<usize>,
    runs: usize,
    optimized_macros: bool,
    instructions: bool,
}

fn args() -> Args {
    let mut out = Args {
        sizes: vec![100, 500, 1000],
        runs: 3,
        optimized_macros: false,
        instructions: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--sizes" => {
                out.sizes = it
                    .next()
                    .expect("--sizes takes a list, e.g. 100,500,1000")
                    .split(',')
                    .map(|s| s.trim().parse().expect("sizes are numbers"))
                    .collect();
            }
            "--runs" => {
                out.runs = it
                    .next()
                    .and_then(|s| s.parse().ok())
                    .expect("--runs takes a number")
            }
            "--optimized-macros" => out.optimized_macros = true,
            "--instructions" => out.instructions = true,
            other => panic!(
                "unknown argument `{other}`; expected --sizes, --runs, --optimized-macros or --instructions"
            ),
        }
    }
    out
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("bench/ is in the workspace")
        .to_path_buf()
}

fn name(variant: Variant, n: usize) -> String {
    match variant {
        Variant::Annotated => format!("gen-annotated-{n}"),
        Variant::Handwritten => format!("gen-handwritten-{n}"),
        Variant::Shaku => format!("gen-shaku-{n}"),
    }
}

/// Write one generated crate; returns its directory.
fn write_crate(
    root: &Path,
    graph: &Graph,
    variant: Variant,
    n: usize,
    optimized_macros: bool,
) -> PathBuf {
    let dir = root.join(name(variant, n));
    let _ = std::fs::remove_dir_all(dir.join("src"));
    std::fs::create_dir_all(dir.join("src/graph")).expect("can create the crate directory");
    let runtime = workspace().join("lifecycle-runtime");
    let manifest = format!(
        "[package]\nname = \"{}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\nlifecycle-runtime = {{ path = {:?} }}\ntokio = {{ version = \"1\", features = [\"rt\", \"macros\"] }}\n\n[workspace]\n",
        name(variant, n),
        runtime.display().to_string()
    );
    let profile = if optimized_macros {
        "\n[profile.dev.build-override]\nopt-level = 3\n"
    } else {
        ""
    };
    std::fs::write(dir.join("Cargo.toml"), manifest + profile).expect("write Cargo.toml");
    let main = match variant {
        Variant::Annotated => {
            "mod graph;\n\n#[tokio::main(flavor = \"current_thread\")]\nasync fn main() {\n    let app = graph::AppModule::bootstrap().await.unwrap();\n    app.shutdown().await.unwrap();\n}\n"
        }
        Variant::Handwritten => {
            "mod graph;\n\n#[tokio::main(flavor = \"current_thread\")]\nasync fn main() {\n    let parts = graph::wiring::bootstrap();\n    graph::wiring::shutdown(parts);\n}\n"
        }
        Variant::Shaku => {
            unreachable!("build times compare the annotated and hand-written variants")
        }
    };
    std::fs::write(dir.join("src/main.rs"), main).expect("write main.rs");
    for (path, text) in graph.files(variant) {
        std::fs::write(dir.join("src").join(path), text).expect("write a module file");
    }
    // Reuse the workspace's lock file so both variants build the same dependency versions.
    let _ = std::fs::copy(workspace().join("Cargo.lock"), dir.join("Cargo.lock"));
    dir
}

fn cargo(dir: &Path, target: &Path, args: &[&str]) -> Duration {
    cargo_with(dir, target, args, |_| {})
}

fn cargo_with(
    dir: &Path,
    target: &Path,
    args: &[&str],
    configure: impl FnOnce(&mut Command),
) -> Duration {
    let started = Instant::now();
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    configure(&mut command);
    let status = command
        .args(args)
        .arg("--quiet")
        .arg("--target-dir")
        .arg(target)
        .current_dir(dir)
        .env_remove("RUSTFLAGS")
        .status()
        .expect("cargo runs");
    assert!(
        status.success(),
        "cargo {args:?} failed in {}",
        dir.display()
    );
    started.elapsed()
}

fn touch(dir: &Path, graph: &Graph) {
    // The last module is a leaf of the import tree.
    let file = dir.join(format!("src/graph/m{}.rs", graph.modules.len() - 1));
    let text = std::fs::read_to_string(&file).expect("read a module file");
    std::fs::write(&file, text).expect("touch a module file");
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

/// Set while this program is cargo's `RUSTC_WRAPPER`: the crate whose
/// rustc run is counted, and the file the count goes to.
const COUNT_CRATE: &str = "LIFECYCLE_BENCH_COUNT_CRATE";
const COUNT_FILE: &str = "LIFECYCLE_BENCH_COUNT_FILE";

/// As `RUSTC_WRAPPER` (`wrapper rustc args..`): run rustc, under
/// cachegrind for the counted crate, and exit with its status.
fn wrap_rustc(krate: &str) -> ! {
    let mut argv = std::env::args_os().skip(1);
    let rustc = argv.next().expect("cargo passes rustc's path");
    let rest: Vec<_> = argv.collect();
    let counted = rest
        .windows(2)
        .any(|w| w[0] == "--crate-name" && w[1] == krate);
    let status = if counted {
        let file = std::env::var(COUNT_FILE).expect("the count's file is set");
        Command::new("valgrind")
            .args(["--tool=cachegrind", "--cache-sim=no"])
            .arg("--cachegrind-out-file=/dev/null")
            .arg(format!("--log-file={file}"))
            .arg(&rustc)
            .args(&rest)
            .status()
    } else {
        Command::new(&rustc).args(&rest).status()
    }
    .expect("rustc runs");
    std::process::exit(status.code().unwrap_or(1))
}

/// The `I refs` total of a cachegrind log.
fn instructions_in(log: &str) -> Option<u64> {
    let line = log
        .lines()
        .find(|l| l.contains("I   refs:") || l.contains("I refs:"))?;
    let digits: String = line
        .rsplit(':')
        .next()?
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// Instructions rustc executes for `package` in `cargo args`.
fn count(dir: &Path, target: &Path, package: &str, args: &[&str]) -> u64 {
    let file = target.join("instructions.log");
    let _ = std::fs::remove_file(&file);
    let me = std::env::current_exe().expect("this program's path");
    cargo_with(dir, target, args, |c| {
        c.env("RUSTC_WRAPPER", &me)
            .env(COUNT_CRATE, package.replace('-', "_"))
            .env(COUNT_FILE, &file);
    });
    let log = std::fs::read_to_string(&file).unwrap_or_default();
    instructions_in(&log).unwrap_or_else(|| {
        panic!(
            "no instruction count for {package} in {}: is valgrind installed?",
            file.display()
        )
    })
}

/// Instructions of the same three builds as the timings, one run each.
fn count_builds(dir: &Path, target: &Path, package: &str, graph: &Graph) -> [u64; 3] {
    cargo(dir, target, &["clean", "-p", package]);
    let clean = count(dir, target, package, &["build"]);
    touch(dir, graph);
    let rebuild = count(dir, target, package, &["build"]);
    cargo(dir, target, &["check"]);
    touch(dir, graph);
    let check = count(dir, target, package, &["check"]);
    [clean, rebuild, check]
}

fn giga(n: u64) -> String {
    format!("{:.2} G", n as f64 / 1e9)
}

fn main() {
    if let Ok(krate) = std::env::var(COUNT_CRATE) {
        wrap_rustc(&krate);
    }
    let args = args();
    let root = workspace().join("target/build-time");
    let target = root.join("target");
    std::fs::create_dir_all(&root).expect("create target/build-time");
    println!(
        "| N | variant | clean build | rebuild after touch | check after touch |\n|---:|---|---:|---:|---:|"
    );
    let mut annotated_clean = Vec::new();
    let mut instruction_rows = Vec::new();
    for &n in &args.sizes {
        let graph = Graph::new(Shape {
            providers: n,
            per_module: 16,
            seed: 7,
        });
        let crates: Vec<(Variant, PathBuf)> = [Variant::Annotated, Variant::Handwritten]
            .into_iter()
            .map(|v| (v, write_crate(&root, &graph, v, n, args.optimized_macros)))
            .collect();
        for (_, dir) in &crates {
            cargo(dir, &target, &["build"]);
            cargo(dir, &target, &["check"]);
        }
        let mut times = vec![
            [Vec::new(), Vec::new(), Vec::new()],
            [Vec::new(), Vec::new(), Vec::new()],
        ];
        for _ in 0..args.runs {
            for (i, (v, dir)) in crates.iter().enumerate() {
                let package = name(*v, n);
                cargo(dir, &target, &["clean", "-p", &package]);
                times[i][0].push(cargo(dir, &target, &["build"]));
                touch(dir, &graph);
                times[i][1].push(cargo(dir, &target, &["build"]));
                // `clean -p` dropped the check's incremental state too:
                // check once, so the timed check starts warm, as in a
                // developer's edit-check loop.
                cargo(dir, &target, &["check"]);
                touch(dir, &graph);
                times[i][2].push(cargo(dir, &target, &["check"]));
            }
        }
        let medians: Vec<[Duration; 3]> = times.into_iter().map(|t| t.map(median)).collect();
        for (i, (v, _)) in crates.iter().enumerate() {
            let m = medians[i];
            println!(
                "| {n} | {v:?} | {} | {} | {} |",
                secs(m[0]),
                secs(m[1]),
                secs(m[2])
            );
        }
        let ratio = |k: usize| medians[0][k].as_secs_f64() / medians[1][k].as_secs_f64();
        println!(
            "| {n} | ratio | {:.2}x | {:.2}x | {:.2}x |",
            ratio(0),
            ratio(1),
            ratio(2)
        );
        annotated_clean.push((n, medians[0][0]));
        if args.instructions {
            let counts: Vec<[u64; 3]> = crates
                .iter()
                .map(|(v, dir)| count_builds(dir, &target, &name(*v, n), &graph))
                .collect();
            instruction_rows.push((n, counts));
        }
    }
    if !instruction_rows.is_empty() {
        println!(
            "\ninstructions rustc executes for the user crate (cachegrind):\n\n\
             | N | variant | clean build | rebuild after touch | check after touch |\n|---:|---|---:|---:|---:|"
        );
        for (n, counts) in &instruction_rows {
            for (v, c) in [Variant::Annotated, Variant::Handwritten]
                .iter()
                .zip(counts)
            {
                println!(
                    "| {n} | {v:?} | {} | {} | {} |",
                    giga(c[0]),
                    giga(c[1]),
                    giga(c[2])
                );
            }
            let ratio = |k: usize| counts[0][k] as f64 / counts[1][k] as f64;
            println!(
                "| {n} | ratio | {:.2}x | {:.2}x | {:.2}x |",
                ratio(0),
                ratio(1),
                ratio(2)
            );
        }
    }
    if let (Some(first), Some(last)) = (annotated_clean.first(), annotated_clean.last()) {
        println!(
            "\nannotated clean build, N = {} -> {}: {:.1}x",
            first.0,
            last.0,
            last.1.as_secs_f64() / first.1.as_secs_f64()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::instructions_in;

    #[test]
    fn reads_the_total_of_a_cachegrind_log() {
        let log = "==4242== Cachegrind, a cache and branch-prediction profiler\n\
                   ==4242== \n\
                   ==4242== I   refs:      4,929,761,359\n";
        assert_eq!(instructions_in(log), Some(4_929_761_359));
        assert_eq!(instructions_in("==1== error: no such file\n"), None);
    }
}
