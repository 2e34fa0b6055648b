//! Reading types: the key a type is matched by, `Arc<T>` / `&T`, `Result<T, E>`.

use proc_macro2::Span;
use quote::ToTokens;
use syn::{GenericArgument, PathArguments, Type, TypeParamBound};

/// The name a type is matched by: its last path segment with generic
/// arguments (`Database`, `Repo<User>`), or `dyn Trait` for trait objects.
pub(crate) fn key(ty: &Type) -> Option<(String, Span)> {
    match ty {
        Type::Path(p) if p.qself.is_none() => {
            let last = p.path.segments.last()?;
            let args = match &last.arguments {
                PathArguments::None => String::new(),
                args => args.to_token_stream().to_string().replace(' ', ""),
            };
            Some((format!("{}{args}", last.ident), last.ident.span()))
        }
        Type::TraitObject(obj) => {
            let principal = obj.bounds.iter().find_map(|b| match b {
                TypeParamBound::Trait(t) => t.path.segments.last(),
                _ => None,
            })?;
            Some((format!("dyn {}", principal.ident), principal.ident.span()))
        }
        Type::Paren(p) => key(&p.elem),
        Type::Group(g) => key(&g.elem),
        _ => None,
    }
}

/// The single generic type argument of `ty` if its last segment is `name`.
pub(crate) fn generic_of<'a>(ty: &'a Type, name: &str) -> Option<&'a Type> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        GenericArgument::Type(t) => Some(t),
        _ => None,
    }
}

/// How a dependency is received.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Receive {
    /// `Arc<T>`
    Arc,
    /// `&T`
    Ref,
}

/// How many providers a dependency takes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Arity {
    /// `Arc<T>` / `&T`: exactly one, or a compile error.
    One,
    /// `Option<Arc<T>>`: `Some` exactly when the graph provides `T`.
    Optional,
    /// `Vec<Arc<dyn T>>`: every member of the group `dyn T`.
    All,
}

impl Arity {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Arity::One => "one",
            Arity::Optional => "optional",
            Arity::All => "all",
        }
    }

    pub(crate) fn from_str(s: &str) -> Option<Arity> {
        Some(match s {
            "one" => Arity::One,
            "optional" => Arity::Optional,
            "all" => Arity::All,
            _ => return None,
        })
    }
}

/// `Arc<T>` or `&T` → `T`.
pub(crate) fn injected(ty: &Type) -> Option<(&Type, Receive)> {
    match ty {
        Type::Reference(r) if r.mutability.is_none() => Some((&r.elem, Receive::Ref)),
        _ => generic_of(ty, "Arc").map(|t| (t, Receive::Arc)),
    }
}

/// `Arc<T>` / `&T` (when `refs`), `Option<Arc<T>>` or `Vec<Arc<T>>` → `T`.
pub(crate) fn dependency(ty: &Type, refs: bool) -> Option<(&Type, Receive, Arity)> {
    if let Some(inner) = generic_of(ty, "Option") {
        return generic_of(inner, "Arc").map(|t| (t, Receive::Arc, Arity::Optional));
    }
    if let Some(inner) = generic_of(ty, "Vec") {
        return generic_of(inner, "Arc").map(|t| (t, Receive::Arc, Arity::All));
    }
    match injected(ty)? {
        (_, Receive::Ref) if !refs => None,
        (t, receive) => Some((t, receive, Arity::One)),
    }
}

/// Whether `ty` names a type of the current crate, judged from its path:
/// one segment that is not a well-known std name, or `crate::` / `self::`
/// / `super::`. Used only to decide whether an `Injectable` impl is legal.
pub(crate) fn looks_local(ty: &Type) -> bool {
    let path = match ty {
        Type::Path(p) if p.qself.is_none() => &p.path,
        Type::TraitObject(obj) => match obj.bounds.iter().find_map(|b| match b {
            TypeParamBound::Trait(t) => Some(&t.path),
            _ => None,
        }) {
            Some(path) => path,
            None => return false,
        },
        Type::Paren(p) => return looks_local(&p.elem),
        Type::Group(g) => return looks_local(&g.elem),
        _ => return false,
    };
    if path.leading_colon.is_some() {
        return false;
    }
    let first = path.segments[0].ident.to_string();
    if path.segments.len() > 1 {
        return matches!(first.as_str(), "crate" | "self" | "super");
    }
    !STD_NAMES.contains(&first.as_str())
}

/// Names from `std`'s prelude and common `std` imports.
const STD_NAMES: &[&str] = &[
    "String",
    "Vec",
    "Box",
    "Option",
    "Result",
    "HashMap",
    "HashSet",
    "BTreeMap",
    "BTreeSet",
    "VecDeque",
    "BinaryHeap",
    "Arc",
    "Rc",
    "Weak",
    "Mutex",
    "RwLock",
    "Cell",
    "RefCell",
    "OnceLock",
    "OnceCell",
    "PathBuf",
    "Path",
    "OsString",
    "Duration",
    "Instant",
    "SystemTime",
    "Cow",
    "SocketAddr",
    "IpAddr",
    "Ipv4Addr",
    "Ipv6Addr",
    "AtomicBool",
    "AtomicUsize",
    "AtomicU64",
    "AtomicU32",
    "AtomicI64",
    "AtomicI32",
    "Any",
    "Error",
    "Fn",
    "FnMut",
    "FnOnce",
    "Send",
    "Sync",
    "bool",
    "char",
    "str",
    "u8",
    "u16",
    "u32",
    "u64",
    "u128",
    "usize",
    "i8",
    "i16",
    "i32",
    "i64",
    "i128",
    "isize",
    "f32",
    "f64",
];

/// A short rendering of a type for messages: `Arc<Config>`.
pub(crate) fn render(ty: &Type) -> String {
    let s = ty.to_token_stream().to_string();
    s.replace(" < ", "<")
        .replace(" <", "<")
        .replace("< ", "<")
        .replace(" >", ">")
        .replace(" :: ", "::")
        .replace(" ,", ",")
        .replace("& ", "&")
}
