//! Real signals to a real process: `kill -TERM` / `kill -INT` sent to the
//! `lifecycle-e2e` binary. Every wait is for a line the child prints, with
//! generous upper bounds, so a loaded machine slows the tests but does not
//! break them.

#![cfg(unix)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// Upper bound for anything that should be prompt.
const PROMPT: Duration = Duration::from_secs(20);

struct App {
    child: Child,
    lines: Receiver<String>,
    seen: Vec<String>,
}

impl App {
    fn start(scenario: &str) -> App {
        let mut child = Command::new(env!("CARGO_BIN_EXE_lifecycle-e2e"))
            .arg(scenario)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the e2e binary starts");
        let stdout = child.stdout.take().expect("piped");
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        App {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Wait until the child prints `line`.
    fn wait_for(&mut self, line: &str) {
        let deadline = Instant::now() + PROMPT;
        while !self.seen.iter().any(|l| l == line) {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(l) => self.seen.push(l),
                Err(RecvTimeoutError::Timeout) => {
                    panic!("no `{line}` within {PROMPT:?}; saw {:?}", self.seen)
                }
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("exited before `{line}`; saw {:?}", self.seen)
                }
            }
        }
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .arg(format!("-{name}"))
            .arg(self.child.id().to_string())
            .status();
        assert!(
            status.expect("`kill` runs").success(),
            "kill -{name} failed"
        );
    }

    /// Wait for the child to exit; every line it printed.
    fn exit(mut self) -> (ExitStatus, Vec<String>, Duration) {
        let began = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                break status;
            }
            if began.elapsed() > PROMPT {
                let _ = self.child.kill();
                panic!(
                    "still running {PROMPT:?} after shutdown began; saw {:?}",
                    self.seen
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let elapsed = began.elapsed();
        self.seen.extend(self.lines.iter());
        (status, self.seen, elapsed)
    }
}

fn position(lines: &[String], line: &str) -> usize {
    lines
        .iter()
        .position(|l| l == line)
        .unwrap_or_else(|| panic!("no `{line}` in {lines:?}"))
}

#[test]
fn sigterm_while_idle_tears_down_in_reverse_and_exits_0() {
    let mut app = App::start("idle");
    app.wait_for("ready");
    app.signal("TERM");
    let (status, lines, _) = app.exit();
    assert_eq!(status.code(), Some(0), "{lines:?}");
    assert!(position(&lines, "pre_destruct Service") < position(&lines, "pre_destruct Store"));
    assert_eq!(lines.last().map(String::as_str), Some("exit ok"));
}

#[test]
fn one_sigterm_stops_every_app_even_after_the_first_runtime_is_gone() {
    let mut app = App::start("second-runtime");
    app.wait_for("first runtime done");
    app.wait_for("ready");
    app.signal("TERM");
    let (status, lines, _) = app.exit();
    assert_eq!(status.code(), Some(0), "{lines:?}");
    let after = position(&lines, "ready");
    let stopped = |line: &str| lines[after..].iter().filter(|l| *l == line).count();
    assert_eq!(stopped("pre_destruct Service"), 2, "{lines:?}");
    assert_eq!(stopped("pre_destruct Store"), 2, "{lines:?}");
    assert_eq!(lines.last().map(String::as_str), Some("exit ok"));
}

#[test]
fn sigterm_during_an_in_flight_task_lets_it_finish_first() {
    let mut app = App::start("in-flight");
    app.wait_for("ready");
    app.wait_for("task started");
    app.signal("TERM");
    let (status, lines, _) = app.exit();
    assert_eq!(status.code(), Some(0), "{lines:?}");
    let done = position(&lines, "task done");
    assert!(done < position(&lines, "on_shutdown"), "{lines:?}");
    assert!(done < position(&lines, "pre_destruct Service"), "{lines:?}");
}

#[test]
fn a_second_sigint_during_shutdown_exits_at_once_with_130() {
    let mut app = App::start("hanging-shutdown");
    app.wait_for("ready");
    app.signal("INT");
    app.wait_for("pre_destruct Hanging started");
    app.signal("INT");
    let (status, lines, elapsed) = app.exit();
    assert_eq!(status.code(), Some(130), "{lines:?}");
    assert!(elapsed < PROMPT, "took {elapsed:?}");
}

#[test]
fn sigterm_during_startup_rolls_back_cleanly() {
    let mut app = App::start("slow-startup");
    app.wait_for("constructing Slow");
    app.signal("TERM");
    let (status, lines, _) = app.exit();
    assert_eq!(status.code(), Some(0), "{lines:?}");
    assert_eq!(
        lines,
        [
            "construct Store",
            "constructing Slow",
            "construct Slow",
            "pre_destruct Slow",
            "pre_destruct Store",
            "startup cancelled"
        ]
    );
}

#[test]
fn a_sync_hook_blocked_past_its_timeout_does_not_keep_the_process_alive() {
    let mut app = App::start("stuck-sync-hook");
    app.wait_for("ready");
    app.signal("TERM");
    let (status, lines, elapsed) = app.exit();
    assert_eq!(status.code(), Some(1), "{lines:?}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("`Stuck` pre_destruct timed out after 300ms")),
        "{lines:?}"
    );
    // The rest of teardown still ran.
    assert!(position(&lines, "pre_destruct Service") < position(&lines, "pre_destruct Store"));
    assert!(elapsed < PROMPT, "took {elapsed:?}");
}
