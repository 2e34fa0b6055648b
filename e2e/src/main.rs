//! A small app run by `tests/signals.rs` as a child process; the first
//! argument picks the scenario. Every line it prints is a step the tests
//! wait for or check the order of.

#![allow(missing_debug_implementations, clippy::new_without_default)]

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use lifecycle_runtime::{Error, module, provider};

fn say(line: &str) {
    println!("{line}");
}

pub struct Store;

#[provider]
impl Store {
    pub fn new() -> Self {
        say("construct Store");
        Store
    }

    #[pre_destruct]
    fn close(&self) {
        say("pre_destruct Store");
    }
}

pub struct Service {
    _store: Arc<Store>,
}

#[provider]
impl Service {
    pub async fn new(store: Arc<Store>) -> Self {
        say("construct Service");
        Service { _store: store }
    }

    #[pre_destruct]
    async fn stop(&self) {
        say("pre_destruct Service");
    }
}

#[module(providers = [Store, Service])]
pub struct BasicModule;

/// Startup: `Store`, then a slow `Slow`, then `Late`.
mod slow_startup {
    use super::*;

    pub struct Slow {
        _store: Arc<Store>,
    }

    #[provider]
    impl Slow {
        pub async fn new(store: Arc<Store>) -> Self {
            say("constructing Slow");
            tokio::time::sleep(Duration::from_millis(1500)).await;
            say("construct Slow");
            Slow { _store: store }
        }

        #[pre_destruct]
        fn stop(&self) {
            say("pre_destruct Slow");
        }
    }

    pub struct Late {
        _slow: Arc<Slow>,
    }

    #[provider]
    impl Late {
        pub fn new(slow: Arc<Slow>) -> Self {
            say("construct Late");
            Late { _slow: slow }
        }
    }

    #[module(providers = [Store, Slow, Late])]
    pub struct SlowModule;
}

/// Shutdown hangs in an async `pre_destruct` (a second signal must cut it short).
mod hanging_shutdown {
    use super::*;

    pub struct Hanging;

    #[provider]
    impl Hanging {
        pub fn new() -> Self {
            Hanging
        }

        #[pre_destruct(timeout = "1m")]
        async fn stop(&self) {
            say("pre_destruct Hanging started");
            std::future::pending::<()>().await;
        }
    }

    #[module(providers = [Hanging])]
    pub struct HangingModule;
}

/// A sync `pre_destruct` blocks its thread forever, past its timeout.
mod stuck_sync {
    use super::*;

    pub struct Stuck;

    #[provider]
    impl Stuck {
        pub fn new() -> Self {
            Stuck
        }

        #[pre_destruct(timeout = "300ms")]
        fn stop(&self) {
            say("pre_destruct Stuck started");
            loop {
                std::thread::sleep(Duration::from_secs(3600));
            }
        }
    }

    #[module(imports = [super::BasicModule], providers = [Stuck])]
    pub struct StuckModule;
}

fn report(result: Result<(), Error>) -> ExitCode {
    match result {
        Ok(()) => {
            say("exit ok");
            ExitCode::SUCCESS
        }
        Err(error) if error.is_cancelled() => {
            say("startup cancelled");
            eprintln!("{error}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            say(&format!("exit error: {error}"));
            ExitCode::FAILURE
        }
    }
}

async fn run(scenario: &str) -> Result<(), Error> {
    match scenario {
        "idle" => {
            let app = BasicModule::bootstrap().await?;
            say("ready");
            app.run_until_signal().await
        }
        "in-flight" => {
            let app = BasicModule::builder()
                .on_shutdown(|_app| say("on_shutdown"))
                .bootstrap()
                .await?;
            app.spawn(async {
                say("task started");
                tokio::time::sleep(Duration::from_millis(1500)).await;
                say("task done");
            });
            say("ready");
            app.run_until_signal().await
        }
        "slow-startup" => {
            let app = slow_startup::SlowModule::bootstrap().await?;
            say("ready");
            app.run_until_signal().await
        }
        "hanging-shutdown" => {
            let app = hanging_shutdown::HangingModule::bootstrap().await?;
            say("ready");
            app.run_until_signal().await
        }
        "stuck-sync-hook" => {
            let app = stuck_sync::StuckModule::bootstrap().await?;
            say("ready");
            app.run_until_signal().await
        }
        "second-runtime" => {
            // After `first_runtime`: two apps on a new runtime, one signal.
            let first = BasicModule::bootstrap().await?;
            let second = BasicModule::bootstrap().await?;
            say("ready");
            let (first, second) = tokio::join!(first.run_until_signal(), second.run_until_signal());
            first.and(second)
        }
        other => panic!("unknown scenario `{other}`"),
    }
}

/// An app started and stopped on a runtime of its own, which is then
/// dropped: the process's signal listener must outlive it.
fn first_runtime() -> Result<(), Error> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let app = BasicModule::bootstrap().await?;
        app.shutdown().await?;
        say("first runtime done");
        Ok(())
    })
}

fn main() -> ExitCode {
    let scenario = std::env::args()
        .nth(1)
        .expect("usage: lifecycle-e2e <scenario>");
    if scenario == "second-runtime"
        && let Err(error) = first_runtime()
    {
        return report(Err(error));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let code = runtime.block_on(run(&scenario));
    // Dropping the runtime must not wait for an abandoned sync hook.
    drop(runtime);
    report(code)
}
