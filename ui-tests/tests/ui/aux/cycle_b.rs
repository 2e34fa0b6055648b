use std::sync::Arc;
use lifecycle_runtime::provider;

use crate::a::Alpha;

#[provider]
pub struct Beta { alpha: Arc<Alpha> }
