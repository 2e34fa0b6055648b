// One mistake, one error: the module that lists the broken provider and the
// code that uses it compile without further errors.
use std::sync::Arc;
use lifecycle_runtime::{module, provider};

#[provider]
pub struct Config;

pub struct Grid { config: Arc<Config> }

#[provider]
impl Grid {
    pub fn new(config: Arc<Config>) -> Self { Grid { config } }

    #[post_construct]
    fn warm_up(&self, level: u8) { let _ = (level, &self.config); }
}

#[module(providers = [Config, Grid])]
pub struct AppModule;

async fn run() {
    let app = AppModule::bootstrap().await.unwrap();
    let _grid: Arc<Grid> = app.get::<Grid>();
    let _picture = AppModule::graph().to_mermaid();
    app.shutdown().await.unwrap();
}

fn main() { let _ = run; }
