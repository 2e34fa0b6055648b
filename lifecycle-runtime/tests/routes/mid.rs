use std::sync::Arc;

use lifecycle_runtime::{module, provider};

use crate::leaf::{LeafModule, Store};

#[provider]
pub struct Cache {
    pub store: Arc<Store>,
}

#[module(imports = [LeafModule], providers = [Cache])]
pub struct MidModule;
