//! A module with more imports than one digit of the generated indices
//! counts (`Imports<Ix<N1, N0>>` and on). Wide modules and providers,
//! with two-digit provider and dependency indices, are in `forms.rs`.

#![allow(missing_debug_implementations)]

use std::sync::Arc;

use lifecycle_runtime::{module, provider};

#[provider]
pub struct Part0 {}

#[module(providers = [Part0])]
pub struct PartModule0;

#[provider]
pub struct Part1 {}

#[module(providers = [Part1])]
pub struct PartModule1;

#[provider]
pub struct Part2 {}

#[module(providers = [Part2])]
pub struct PartModule2;

#[provider]
pub struct Part3 {}

#[module(providers = [Part3])]
pub struct PartModule3;

#[provider]
pub struct Part4 {}

#[module(providers = [Part4])]
pub struct PartModule4;

#[provider]
pub struct Part5 {}

#[module(providers = [Part5])]
pub struct PartModule5;

#[provider]
pub struct Part6 {}

#[module(providers = [Part6])]
pub struct PartModule6;

#[provider]
pub struct Part7 {}

#[module(providers = [Part7])]
pub struct PartModule7;

#[provider]
pub struct Part8 {}

#[module(providers = [Part8])]
pub struct PartModule8;

#[provider]
pub struct Part9 {}

#[module(providers = [Part9])]
pub struct PartModule9;

#[provider]
pub struct Part10 {}

#[module(providers = [Part10])]
pub struct PartModule10;

#[provider]
pub struct Part11 {}

#[module(providers = [Part11])]
pub struct PartModule11;

#[provider]
pub struct Part12 {}

#[module(providers = [Part12])]
pub struct PartModule12;

#[provider]
pub struct Part13 {}

#[module(providers = [Part13])]
pub struct PartModule13;

#[provider]
pub struct Part14 {}

#[module(providers = [Part14])]
pub struct PartModule14;

#[provider]
pub struct Part15 {}

#[module(providers = [Part15])]
pub struct PartModule15;

#[provider]
pub struct Part16 {}

#[module(providers = [Part16])]
pub struct PartModule16;

/// Depends on what the seventeenth import provides.
#[provider]
pub struct Whole {
    pub last: Arc<Part16>,
    pub first: Arc<Part0>,
}

#[module(
    imports = [PartModule0, PartModule1, PartModule2, PartModule3, PartModule4, PartModule5, PartModule6, PartModule7, PartModule8, PartModule9, PartModule10, PartModule11, PartModule12, PartModule13, PartModule14, PartModule15, PartModule16],
    providers = [Whole]
)]
pub struct ManyImports;

#[tokio::test]
async fn a_dependency_resolves_into_the_seventeenth_import() {
    let app = ManyImports::bootstrap().await.unwrap();
    let whole = app.get::<Whole>();
    assert!(Arc::ptr_eq(&whole.last, &app.get::<Part16>()));
    assert!(Arc::ptr_eq(&whole.first, &app.get::<Part0>()));
    assert_eq!(ManyImports::graph().nodes().len(), 18);
    app.shutdown().await.unwrap();
}
