//! Hidden names and keys: crate-unique, stable for one definition site.

use proc_macro2::{Ident, Span};

/// `file:line:column` of `span` (1-based column), as rustc prints it.
pub(crate) fn location(span: Span) -> String {
    let start = span.start();
    format!("{}:{}:{}", span.file(), start.line, start.column + 1)
}

/// The crate being compiled, as Cargo names it.
pub(crate) fn crate_name() -> String {
    std::env::var("CARGO_CRATE_NAME").unwrap_or_else(|_| "crate".to_owned())
}

/// What distinguishes this crate from every other in one build: package
/// name, version, and whether this is a binary target. (Not the crate
/// name: test harnesses number their binaries, and keys end up in
/// error messages, which must not change when a test is added.)
fn key_scope() -> String {
    let var = |k: &str| std::env::var(k).unwrap_or_default();
    let kind = if std::env::var_os("CARGO_BIN_NAME").is_some() {
        "bin"
    } else {
        "lib"
    };
    format!(
        "{}@{}/{kind}",
        var("CARGO_PKG_NAME"),
        var("CARGO_PKG_VERSION")
    )
}

/// A 64-bit FNV-1a hash: stable across builds and toolchains.
pub(crate) fn hash(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain([0xff]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// How many `HasKey` traits the runtime spreads a module's keys over
/// (its `KEY_BUCKETS`): `key % KEY_BUCKETS` picks the trait, and is the
/// last argument of the provider's `Id`.
pub(crate) const KEY_BUCKETS: u64 = 64;

/// The runtime's `HasKey` trait that holds `key`, and the bucket it names
/// in the provider's `Id`.
pub(crate) fn key_bucket(key: u64) -> u64 {
    key % KEY_BUCKETS
}

/// The key and hidden macro name of one annotated item.
pub(crate) struct Mangled {
    pub(crate) key: u64,
    /// The key of the item's source file: the crate's [`key_scope`] and
    /// the last two components of the file's path. A module finds the
    /// providers of one file through one of its imports (`Locate` in the
    /// runtime).
    pub(crate) file: u64,
    pub(crate) macro_name: Ident,
}

/// `kind` is `p` (provider) or `m` (module). The key must not depend on
/// where the crate is checked out: it hashes the crate's [`key_scope`], the
/// item's name, the last two components of its file's path, and its line
/// and column.
pub(crate) fn mangle(kind: &str, name: &Ident) -> Mangled {
    let krate = crate_name();
    let span = name.span();
    let path = span.file();
    let tail: Vec<&str> = path.rsplit(['/', '\\']).take(2).collect();
    let start = span.start();
    let tail = tail.join("/");
    let at = format!("{tail}:{}:{}", start.line, start.column);
    let scope = key_scope();
    let key = hash(&[&scope, &name.to_string(), &at]);
    let file = hash(&[&scope, &tail]);
    let macro_name = Ident::new(
        &format!(
            "__lc_{kind}_{krate}_{}_{key:016x}",
            name.to_string().trim_start_matches("r#")
        ),
        Span::call_site(),
    );
    Mangled {
        key,
        file,
        macro_name,
    }
}
