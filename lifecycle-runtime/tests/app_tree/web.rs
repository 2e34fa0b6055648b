use std::sync::Arc;

use lifecycle_runtime::{module, provider};

use crate::db::{DbModule, Pool};
use crate::log::push;

pub struct Router;

#[provider]
impl Router {
    pub fn new() -> Self {
        push("new Router");
        Router
    }

    #[pre_destruct]
    fn stop(&self) {
        push("pre Router");
    }
}

pub struct Server {
    pool: Arc<Pool>,
    _router: Arc<Router>,
}

impl Server {
    pub fn describe(&self) -> String {
        format!("server on pool of {}", self.pool.config.url)
    }
}

#[provider]
impl Server {
    pub fn new(pool: Arc<Pool>, router: Arc<Router>) -> Self {
        push("new Server");
        Server {
            pool,
            _router: router,
        }
    }

    #[post_construct]
    async fn listen(&self) {
        push("post Server");
    }

    #[pre_destruct]
    async fn stop(&self) {
        push("pre Server");
    }
}

#[module(imports = [DbModule], providers = [Router, Server])]
pub struct WebModule;
