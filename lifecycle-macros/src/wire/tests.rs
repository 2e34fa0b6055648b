use quote::{format_ident, quote};

use super::*;

fn provider(key: u64, name: &str, deps: &[(&str, Arity)]) -> WireProvider {
    WireProvider {
        key,
        file: key / 2,
        name: name.to_owned(),
        span: Span::call_site(),
        location: format!("src/{name}.rs:1:1"),
        local: true,
        scope: Scope::Singleton,
        deps: deps
            .iter()
            .map(|(dep, arity)| WireDep {
                name: (*dep).to_owned(),
                label: format!("field `{}` of `{name}`", dep.to_lowercase()),
                location: format!("src/{name}.rs:2:5"),
                span: Span::call_site(),
                arity: *arity,
            })
            .collect(),
        aliases: vec![WireAlias {
            key: key + 1,
            name: "dyn Check".to_owned(),
            location: format!("src/{name}.rs:1:20"),
            span: Span::call_site(),
            group: true,
        }],
    }
}

fn args(own_providers: &[&str], own_imports: usize) -> ModuleArgs {
    ModuleArgs {
        key: 7,
        name: "AppModule".to_owned(),
        location: "src/main.rs:9:12".to_owned(),
        ident: format_ident!("AppModule"),
        own_providers: own_providers.iter().map(|p| (*p).to_owned()).collect(),
        own_imports,
        krate: quote!(::lifecycle_runtime),
        macro_name: format_ident!("__lc_m_app_AppModule"),
        failed: false,
    }
}

#[test]
fn what_a_chain_delivers_reads_back_field_for_field() {
    let own = provider(
        u64::MAX - 1,
        "Db",
        &[("Config", Arity::One), ("Cache", Arity::Optional)],
    );
    // Escapes, a `"` and the compact form's separator and escape in a
    // path, as a path on Windows or an odd file name would write them.
    let mut odd = provider(3, "Odd", &[("dyn Check", Arity::All)]);
    odd.location = "C:\\src\\odd \"x\" |50%7C.rs:1:1".to_owned();
    odd.scope = Scope::Request;
    let imported = WireModule {
        key: 11,
        name: "Storage".to_owned(),
        location: "src/storage.rs:4:12".to_owned(),
        imports: vec![12, 13],
        providers: vec![odd.clone()],
        raw: None,
    };
    let args = args(&["db :: Db"], 1).to_tokens();
    let input = quote!(sink [] #args #own import 11u64 #imported);

    let collected = Collected::read(input).unwrap();

    assert_eq!(collected.args.key, 7);
    assert_eq!(collected.args.name, "AppModule");
    assert_eq!(collected.args.location, "src/main.rs:9:12");
    assert_eq!(collected.args.ident, "AppModule");
    assert_eq!(
        (collected.args.own_providers, collected.args.own_imports),
        (vec!["db :: Db".to_owned()], 1)
    );
    assert_eq!(collected.args.krate.to_string(), ":: lifecycle_runtime");
    assert!(!collected.args.failed);
    assert_eq!(collected.imports, [11]);
    let [db] = &collected.providers[..] else {
        panic!("one own provider")
    };
    assert_eq!(
        (db.key, db.name.as_str(), db.local),
        (u64::MAX - 1, "Db", true)
    );
    assert_eq!(db.location, "src/Db.rs:1:1");
    let deps: Vec<_> = db
        .deps
        .iter()
        .map(|d| (d.name.as_str(), d.label.as_str(), d.arity))
        .collect();
    assert_eq!(
        deps,
        [
            ("Config", "field `config` of `Db`", Arity::One),
            ("Cache", "field `cache` of `Db`", Arity::Optional)
        ]
    );
    let alias = &db.aliases[0];
    assert_eq!(
        (alias.key, alias.name.as_str(), alias.group),
        (u64::MAX, "dyn Check", true)
    );
    let [storage] = &collected.modules[..] else {
        panic!("one module")
    };
    assert_eq!(
        (storage.key, storage.imports.as_slice()),
        (11, &[12, 13][..])
    );
    assert_eq!(
        (storage.name.as_str(), storage.location.as_str()),
        ("Storage", "src/storage.rs:4:12")
    );
    let [read] = &storage.providers[..] else {
        panic!("one provider in the imported module")
    };
    assert_eq!(
        (read.key, read.name.as_str(), read.location.as_str()),
        (3, "Odd", odd.location.as_str())
    );
    assert_eq!((read.local, read.scope), (true, Scope::Request));
    let dep = &read.deps[0];
    assert_eq!(
        (dep.name.as_str(), dep.label.as_str(), dep.location.as_str()),
        ("dyn Check", "field `dyn check` of `Odd`", "src/Odd.rs:2:5")
    );
    assert_eq!(dep.arity, Arity::All);
    let alias = &read.aliases[0];
    assert_eq!(
        (alias.key, alias.name.as_str(), alias.location.as_str()),
        (4, "dyn Check", "src/Odd.rs:1:20")
    );
    assert!(alias.group);
}

#[test]
fn what_was_read_is_published_again_as_received() {
    let module = WireModule {
        key: 11,
        name: "Storage".to_owned(),
        location: "src/storage.rs:4:12".to_owned(),
        imports: vec![],
        providers: vec![provider(5, "Db", &[("Config", Arity::One)])],
        raw: None,
    };
    let args = args(&[], 0).to_tokens();
    let sent = quote!(#module);
    let collected = Collected::read(quote!(sink [] #args #sent)).unwrap();
    let again = &collected.modules[0];
    assert!(again.raw.is_some());
    assert_eq!(quote!(#again).to_string(), sent.to_string());
}

#[test]
fn malformed_metadata_is_an_error_not_a_panic() {
    let args = args(&[], 0).to_tokens();
    for (input, expected) in [
        (
            quote!(sink [] #args provider { "1|9|Db|l|true|singleton|1|0" }),
            "metadata ends early",
        ),
        (
            quote!(sink [] #args provider { 1u64 }),
            "expected a string in metadata",
        ),
        (quote!(sink [] #args provider { x }), "expected a literal"),
        (
            quote!(sink [] #args provider { "x|Db|l|true|singleton|0|0" }),
            "malformed metadata",
        ),
        (
            quote!(sink [] #args provider { "1|9|Db|l|maybe|singleton|0|0" }),
            "malformed metadata",
        ),
        (
            quote!(sink [] #args provider { "1|9|Db|l|true|forever|0|0" }),
            "malformed metadata",
        ),
        (
            quote!(sink [] #args provider { "1|9|Db|l|true|singleton|0|0|extra" }),
            "malformed metadata",
        ),
        (
            quote!(sink [] #args provider { "1|9|Db|l|true|singleton|0|0" "Config|f|l|one" }),
            "expected the end",
        ),
        (
            quote!(sink [] #args provider { "1|9|Db|l|true|singleton|1|0" "Config|f|l|twice" }),
            "malformed metadata",
        ),
        (quote!(sink [] #args widget { }), "unexpected metadata"),
        (
            quote!(sink [] #args module "11|Storage|src/storage.rs:4:12|0|1|5|Db"),
            "malformed metadata",
        ),
        (
            quote!(sink [] #args module "11|Storage|src/storage.rs:4:12|0|0|extra"),
            "malformed metadata",
        ),
        (quote!(sink [] #args module { 11u64 }), "expected a literal"),
        (quote!(sink [] #args import "11"), "expected a key"),
    ] {
        let error = match Collected::read(input.clone()) {
            Ok(_) => panic!("read `{input}`"),
            Err(e) => e.to_string(),
        };
        assert!(error.contains(expected), "`{input}`: {error}");
    }
}
