use std::sync::Arc;

use lifecycle_runtime::{module, provider};

use crate::log::push;

pub struct Config {
    pub url: String,
}

#[provider]
impl Config {
    pub fn new() -> Self {
        push("new Config");
        Config {
            url: "sqlite::memory:".into(),
        }
    }

    #[pre_destruct]
    async fn close(&self) {
        push("pre Config");
    }
}

pub struct Pool {
    pub config: Arc<Config>,
}

#[provider]
impl Pool {
    pub async fn new(config: Arc<Config>) -> Result<Self, std::io::Error> {
        push("new Pool");
        Ok(Pool { config })
    }

    #[post_construct]
    fn warm(&self) {
        push("post Pool");
    }

    #[pre_destruct]
    fn drain(&self) -> Result<(), std::io::Error> {
        push("pre Pool");
        Ok(())
    }
}

#[module(providers = [Config, Pool])]
pub struct DbModule;
