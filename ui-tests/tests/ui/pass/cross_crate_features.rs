//! Inputs, bindings, collections and scopes declared in another crate.
use std::sync::Arc;

use lifecycle_fixture::health::{Check, HealthModule, Notifier, Session, Settings};
use lifecycle_runtime::{module, provider};

pub struct Network;

#[provider(group(dyn Check))]
impl Network {
    fn new() -> Self {
        Network
    }
}

impl Check for Network {
    fn name(&self) -> &'static str {
        "network"
    }
}

#[provider]
pub struct Report {
    pub checks: Vec<Arc<dyn Check>>,
    pub notifier: Arc<dyn Notifier>,
}

#[module(imports = [HealthModule], providers = [Network, Report])]
pub struct AppModule;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let app = AppModule::builder()
        .input(Settings { name: "hq".into() })
        .bootstrap()
        .await
        .unwrap();
    let report = app.get::<Report>();
    let names: Vec<&str> = report.checks.iter().map(|c| c.name()).collect();
    assert_eq!(names, ["disk", "network"]);
    assert_eq!(report.notifier.notify(), "hq: disk ok");
    let scope = app.scope();
    let session = scope.get::<Session>().await.unwrap();
    assert!(Arc::ptr_eq(&session.settings, &app.get::<Settings>()));
    scope.close().await.unwrap();
    app.shutdown().await.unwrap();
}
