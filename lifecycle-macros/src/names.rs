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
///
/// Read on every call, not cached: a proc-macro server (an IDE's) may
/// expand the macros of several crates in one process, each with its own
/// environment.
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
    const PRIME: u64 = 0x0100_0000_01b3;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        // A plain loop over the bytes: iterator adaptors cost several
        // times more in a proc macro built unoptimized.
        let bytes = part.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            h = (h ^ u64::from(bytes[i])).wrapping_mul(PRIME);
            i += 1;
        }
        h = (h ^ 0xff).wrapping_mul(PRIME);
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

/// The last two components of `path`, last first (`m62.rs/graph`),
/// joined by `/` whatever the platform's separator.
fn file_tail(path: &str) -> String {
    let mut parts = path.rsplit(['/', '\\']);
    match (parts.next(), parts.next()) {
        (Some(last), Some(dir)) => format!("{last}/{dir}"),
        (Some(last), None) => last.to_owned(),
        _ => String::new(),
    }
}

/// `kind` is `p` (provider) or `m` (module). The key must not depend on
/// where the crate is checked out: it hashes the crate's [`key_scope`], the
/// item's name, the last two components of its file's path, and its line
/// and column.
pub(crate) fn mangle(kind: &str, name: &Ident) -> Mangled {
    let krate = crate_name();
    let span = name.span();
    let path = span.file();
    let tail = file_tail(&path);
    let start = span.start();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_fnv_1a_with_a_separator_after_each_part() {
        // Keys end up in compiled crates and error messages: the values
        // must not drift when the loop is rewritten.
        assert_eq!(hash(&[]), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash(&[""]), 12_638_352_127_299_873_646);
        assert_eq!(
            hash(&["gen@0.0.0/bin", "P992", "m62.rs/graph:3:24"]),
            3_522_419_861_643_088_312
        );
    }

    #[test]
    fn a_file_tail_is_its_last_two_components_last_first() {
        assert_eq!(file_tail("src/graph/m62.rs"), "m62.rs/graph");
        assert_eq!(file_tail(r"C:\app\src\main.rs"), "main.rs/src");
        assert_eq!(file_tail("main.rs"), "main.rs");
        assert_eq!(file_tail(""), "");
    }
}
