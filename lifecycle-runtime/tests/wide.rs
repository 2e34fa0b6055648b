//! Wide graphs: a module that lists dozens of providers, a provider with
//! dozens of dependencies, a module with more imports than one digit of
//! the generated indices counts.

#![allow(missing_debug_implementations)]

use std::sync::Arc;

use lifecycle_runtime::{module, provider};

macro_rules! leaves {
    ($($name:ident)*) => {
        $(
            #[provider]
            pub struct $name {}
        )*
    };
}

leaves!(L0 L1 L2 L3 L4 L5 L6 L7 L8 L9 L10 L11 L12 L13 L14 L15 L16 L17 L18 L19 L20 L21 L22 L23 L24 L25 L26 L27 L28 L29 L30 L31 L32 L33 L34 L35 L36 L37 L38 L39);

/// More dependencies than `Provider::Deps` lists: the last ones go
/// through `DepAt`.
#[provider]
pub struct Wide {
    pub l0: Arc<L0>,
    pub l1: Arc<L1>,
    pub l2: Arc<L2>,
    pub l3: Arc<L3>,
    pub l4: Arc<L4>,
    pub l5: Arc<L5>,
    pub l6: Arc<L6>,
    pub l7: Arc<L7>,
    pub l8: Arc<L8>,
    pub l9: Arc<L9>,
    pub l10: Arc<L10>,
    pub l11: Arc<L11>,
    pub l12: Arc<L12>,
    pub l13: Arc<L13>,
    pub l14: Arc<L14>,
    pub l15: Arc<L15>,
    pub l16: Arc<L16>,
    pub l17: Arc<L17>,
    pub l18: Arc<L18>,
    pub l19: Arc<L19>,
    pub l20: Arc<L20>,
    pub l21: Arc<L21>,
    pub l22: Arc<L22>,
    pub l23: Arc<L23>,
    pub l24: Arc<L24>,
    pub l25: Arc<L25>,
    pub l26: Arc<L26>,
    pub l27: Arc<L27>,
    pub l28: Arc<L28>,
    pub l29: Arc<L29>,
    pub l30: Arc<L30>,
    pub l31: Arc<L31>,
    pub l32: Arc<L32>,
    pub l33: Arc<L33>,
    pub l34: Arc<L34>,
    pub l35: Arc<L35>,
    pub l36: Arc<L36>,
    pub l37: Arc<L37>,
    pub l38: Arc<L38>,
    pub l39: Arc<L39>,
}

#[module(providers = [L0, L1, L2, L3, L4, L5, L6, L7, L8, L9, L10, L11, L12, L13, L14, L15, L16, L17, L18, L19, L20, L21, L22, L23, L24, L25, L26, L27, L28, L29, L30, L31, L32, L33, L34, L35, L36, L37, L38, L39, Wide])]
pub struct WideModule;

#[tokio::test]
async fn every_dependency_of_a_wide_provider_is_the_listed_provider() {
    let app = WideModule::bootstrap().await.unwrap();
    let wide = app.get::<Wide>();
    let (first, last) = (app.get::<L0>(), app.get::<L39>());
    assert!(Arc::ptr_eq(&wide.l0, &first));
    assert!(Arc::ptr_eq(&wide.l16, &app.get::<L16>()));
    assert!(Arc::ptr_eq(&wide.l31, &app.get::<L31>()));
    assert!(Arc::ptr_eq(&wide.l32, &app.get::<L32>()));
    assert!(Arc::ptr_eq(&wide.l39, &last));
    app.shutdown().await.unwrap();
}

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
