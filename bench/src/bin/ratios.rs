//! Prints the medians of the last `cargo bench --bench wiring` run, and
//! each one's ratio to its group's baseline measured in the same run.
//!
//! ```text
//! cargo run --release -p lifecycle-bench --bin ratios [-- target/criterion]
//! ```
//!
//! Reads `<dir>/<group>/<function>/<size>/new/estimates.json`, which
//! criterion writes for every benchmark.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Each group's baseline function, and what the ratio means.
const BASELINES: [(&str, &str); 3] = [
    ("bootstrap_shutdown", "handwritten"),
    ("vs_shaku", "shaku"),
    ("get", "arc_clone"),
];

fn median_ns(file: &Path) -> Option<f64> {
    let text = std::fs::read_to_string(file).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json["median"]["point_estimate"].as_f64()
}

fn dirs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|it| {
            it.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn name(p: &Path) -> String {
    p.file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn human(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.3} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.2} ns")
    }
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../target/criterion")
                .to_path_buf()
        });
    println!("| group | N | variant | median | vs baseline |");
    println!("|---|---:|---|---:|---:|");
    for (group, baseline) in BASELINES {
        // size -> function -> median
        let mut rows: BTreeMap<u64, BTreeMap<String, f64>> = BTreeMap::new();
        for function in dirs(&dir.join(group)) {
            for size in dirs(&function) {
                let (Ok(n), Some(ns)) = (
                    name(&size).parse::<u64>(),
                    median_ns(&size.join("new/estimates.json")),
                ) else {
                    continue;
                };
                rows.entry(n).or_default().insert(name(&function), ns);
            }
        }
        for (n, functions) in rows {
            let base = functions.get(baseline).copied();
            for (function, ns) in &functions {
                let ratio = match base {
                    Some(_) if function == baseline => format!("1 ({baseline})"),
                    Some(b) => format!("{:.2}x", ns / b),
                    None => "—".to_owned(),
                };
                println!("| {group} | {n} | {function} | {} | {ratio} |", human(*ns));
            }
        }
    }
}
