//! The contract between the code `#[provider]` / `#[module]` generate and the
//! runtime. Not public API: reached only through `__private`.
//!
//! A provider is described by an [`Provider`] impl on its *marker* type (the
//! struct itself, the `impl` block's self type, or a hidden struct named like
//! a provider fn). A module is described by a [`Module`] impl: its own
//! [`Step`]s and the [`Plan`] of its whole subtree in topological order. The
//! engine only ever sees type-erased steps; every typed call lives in
//! generated code, where rustc checks it.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

mod erased;
mod table;
pub use erased::Erased;
pub(crate) use table::List;
use table::Table;

/// The boxed error a failing constructor or hook is turned into.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// A boxed, sendable future.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

/// One call of a `post_construct` or `pre_destruct` hook.
pub enum Hook {
    /// An async hook.
    Async(BoxFuture<Result<(), BoxError>>),
    /// A sync hook: always runs on a thread of its own.
    Blocking(Box<dyn FnOnce() -> Result<(), BoxError> + Send + 'static>),
}

impl std::fmt::Debug for Hook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Hook::Async(_) => "Hook::Async",
            Hook::Blocking(_) => "Hook::Blocking",
        })
    }
}

/// What the macros know about one hook at compile time.
#[derive(Debug, Clone, Copy)]
pub struct HookSpec {
    /// The method or fn name, for messages.
    pub method: &'static str,
    /// `timeout = "…"` from the attribute, if any.
    pub timeout: Option<Duration>,
}

/// Static description of one provider.
#[derive(Debug, Clone, Copy)]
pub struct ProviderMeta {
    /// The provided type as the user wrote it (`Database`, `dyn Mailer`).
    pub name: &'static str,
    /// `file:line:column` of the provider's definition.
    pub location: &'static str,
    /// The constructor.
    pub construct: HookSpec,
    /// The `#[post_construct]` hook, if any.
    pub post_construct: Option<HookSpec>,
    /// The `#[pre_destruct]` hook, if any.
    pub pre_destruct: Option<HookSpec>,
    /// How long a value lives.
    pub scope: ScopeKind,
    /// What the node is: a provider, an input, or a trait binding or
    /// collection member of another provider.
    pub role: Role,
    /// Whether constructing runs the user's code (a constructor fn or
    /// method). `false` for a struct built from its injected fields and for
    /// a binding or group member, whose construction is an allocation at
    /// most: startup does not time those (see [`ProviderTiming`]).
    ///
    /// [`ProviderTiming`]: crate::ProviderTiming
    pub user_code: bool,
    /// The error for a dependency on this provider's type in a graph that
    /// does not list it: where it is declared and what to do.
    pub declared: &'static str,
}

impl ProviderMeta {
    /// A singleton provider without hooks or timeouts, constructed by
    /// `method`: the common case, which generated code writes in short.
    pub const fn plain(
        name: &'static str,
        location: &'static str,
        method: &'static str,
        user_code: bool,
        declared: &'static str,
    ) -> Self {
        ProviderMeta {
            name,
            location,
            construct: HookSpec {
                method,
                timeout: None,
            },
            post_construct: None,
            pre_destruct: None,
            scope: ScopeKind::Singleton,
            role: Role::Provider,
            user_code,
            declared,
        }
    }
}

/// How long a provided value lives, as `#[provider(scope = ..)]` sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScopeKind {
    /// One value for the whole app, built at startup (the default).
    Singleton,
    /// One value for the whole app, supplied to the builder with
    /// `.input(..)` rather than constructed.
    Input,
    /// One value per [`Scope`](crate::Scope), built on first use and torn
    /// down when the scope ends.
    Request,
    /// A new value every time one is asked for, inside a scope; torn down
    /// with that scope.
    Transient,
}

impl ScopeKind {
    /// Lives as long as the app: built at startup, torn down at shutdown.
    pub const fn is_app_wide(self) -> bool {
        matches!(self, ScopeKind::Singleton | ScopeKind::Input)
    }

    /// The name used in attributes and pictures.
    pub const fn as_str(self) -> &'static str {
        match self {
            ScopeKind::Singleton => "singleton",
            ScopeKind::Input => "input",
            ScopeKind::Request => "request",
            ScopeKind::Transient => "transient",
        }
    }
}

/// What a node of the graph is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// A `#[provider]`: its constructor builds the value.
    Provider,
    /// `#[provider(input)]`: the value is supplied at bootstrap.
    Input,
    /// `#[provider(bind = [dyn Trait])]`: the provider it depends on,
    /// exposed as the trait object named by [`ProviderMeta::name`].
    Bind,
    /// `#[provider(group = [dyn Trait])]`: the provider it depends on, as
    /// one member of the collection `Vec<Arc<dyn Trait>>`.
    Group,
}

/// Implemented by `#[provider]` on the provider's marker type.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a provider",
    label = "not a `#[provider]`",
    note = "annotate `{Self}` (its struct, its `impl` block, or a fn) with `#[provider]`; a module goes in `imports = [..]`, not in `providers = [..]`"
)]
pub trait Provider: 'static {
    /// The provided type; values live in an `Arc<Output>`.
    type Output: ?Sized + Send + Sync + 'static;
    /// Static description.
    const META: ProviderMeta;
    /// `Id<KEY, SCOPE, BUCKET, FILE>`, with a key unique to this provider
    /// (crate, name, definition site), its scope, the key modulo
    /// [`KEY_BUCKETS`], and the key of its source file.
    type Key: KeyOf;
    /// The declared types of its first [`DEPS_LISTED`] dependencies, as a
    /// [`D`] list ending in [`E`]; a module checks each against the
    /// provider it resolved to.
    type Deps;
    /// Build the value, type-erased (an `Arc<Output>` held by an
    /// [`Erased`]), from its dependencies, read from `deps` in order: their
    /// types (`Deps`) the module checked at compile time.
    fn construct(deps: Deps<'_>) -> ErasedConstruct;
    /// The `#[post_construct]` call for a value of this provider.
    const POST_CONSTRUCT: fn(&Erased) -> Option<Hook> = no_hook;
    /// The `#[pre_destruct]` call for a value of this provider.
    const PRE_DESTRUCT: fn(&Erased) -> Option<Hook> = no_hook;
    /// All of the above, as a module lists it.
    const STEP: Step = Step {
        meta: &Self::META,
        construct: Self::construct,
        post_construct: Self::POST_CONSTRUCT,
        pre_destruct: Self::PRE_DESTRUCT,
    };
}

/// `DepAt<J>::T` is the type of a provider's `J`-th dependency, for `J`
/// from [`DEPS_LISTED`] on; the first ones are in [`Provider::Deps`].
pub trait DepAt<const J: usize> {
    /// The injected type.
    type T: ?Sized;
}

/// How many dependencies [`Provider::Deps`] lists; a provider with more
/// implements [`DepAt`] for the others. One associated type per provider
/// costs rustc less than an impl per dependency.
pub const DEPS_LISTED: usize = 32;

/// A provider's declared dependency types as a list: `D<T0, D<T1, E>>`.
pub struct D<H: ?Sized, T>(PhantomData<H>, PhantomData<T>);

/// The end of a [`D`] list.
#[derive(Debug)]
pub struct E;

/// `Dn<T0, .., Tn-1>`: the [`D`] list of `n` types, in one path. Generated
/// code writes a provider's list this way: every path it writes is a name
/// for rustc to resolve, and `D<T0, D<T1, E>>` is three.
macro_rules! d_lists {
    ($($name:ident [$($t:ident)*])*) => {
        $(
            #[doc(hidden)]
            pub type $name<$($t),*> = d_lists!(@list $($t)*);
        )*
    };
    (@list) => { E };
    (@list $head:ident $($t:ident)*) => { D<$head, d_lists!(@list $($t)*)> };
}
d_lists! {
    D1 [T0]
    D2 [T0 T1]
    D3 [T0 T1 T2]
    D4 [T0 T1 T2 T3]
    D5 [T0 T1 T2 T3 T4]
    D6 [T0 T1 T2 T3 T4 T5]
    D7 [T0 T1 T2 T3 T4 T5 T6]
    D8 [T0 T1 T2 T3 T4 T5 T6 T7]
}

impl<H: ?Sized, T> std::fmt::Debug for D<H, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("D")
    }
}

/// Type-level numbers for the indices generated code writes by the
/// thousand: `N0` to `N15`, and `Ix<T, D>` for sixteen times `T` plus `D`
/// (`Ix<N1, N2>` is 18). A const generic argument such as `Sub<M, 12>`
/// would be a body of its own for rustc to type-check and track; a type
/// is a name to resolve, about half the cost.
macro_rules! digits {
    ($($n:ident)*) => {
        $(
            #[doc(hidden)]
            #[derive(Debug)]
            pub enum $n {}
        )*
    };
}
digits!(N0 N1 N2 N3 N4 N5 N6 N7 N8 N9 N10 N11 N12 N13 N14 N15);

/// `Ix<T, D>`: sixteen times `T` plus `D` (see [`N0`]).
#[doc(hidden)]
pub struct Ix<T, D>(PhantomData<T>, PhantomData<D>);

impl<T, D> std::fmt::Debug for Ix<T, D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Ix")
    }
}

/// `At<J>::T`: the `J`-th type of a [`D`] list, `J` a type-level number.
pub trait At<J> {
    /// The type.
    type T: ?Sized;
}

impl<H: ?Sized, T> At<N0> for D<H, T> {
    type T = H;
}

macro_rules! at {
    ($([$j:ty] [$before:ty])*) => {
        $(impl<H: ?Sized, T: At<$before>> At<$j> for D<H, T> {
            type T = <T as At<$before>>::T;
        })*
    };
}

at!(
    [N1] [N0]
    [N2] [N1]
    [N3] [N2]
    [N4] [N3]
    [N5] [N4]
    [N6] [N5]
    [N7] [N6]
    [N8] [N7]
    [N9] [N8]
    [N10] [N9]
    [N11] [N10]
    [N12] [N11]
    [N13] [N12]
    [N14] [N13]
    [N15] [N14]
    [Ix<N1, N0>] [N15]
    [Ix<N1, N1>] [Ix<N1, N0>]
    [Ix<N1, N2>] [Ix<N1, N1>]
    [Ix<N1, N3>] [Ix<N1, N2>]
    [Ix<N1, N4>] [Ix<N1, N3>]
    [Ix<N1, N5>] [Ix<N1, N4>]
    [Ix<N1, N6>] [Ix<N1, N5>]
    [Ix<N1, N7>] [Ix<N1, N6>]
    [Ix<N1, N8>] [Ix<N1, N7>]
    [Ix<N1, N9>] [Ix<N1, N8>]
    [Ix<N1, N10>] [Ix<N1, N9>]
    [Ix<N1, N11>] [Ix<N1, N10>]
    [Ix<N1, N12>] [Ix<N1, N11>]
    [Ix<N1, N13>] [Ix<N1, N12>]
    [Ix<N1, N14>] [Ix<N1, N13>]
    [Ix<N1, N15>] [Ix<N1, N14>]
);

/// A type-level key: `Id<KEY, SCOPE, BUCKET, FILE>`, with a key unique to
/// one provider, a marker of [`scope`] saying how long its values live,
/// the key modulo [`KEY_BUCKETS`], which selects the trait a module's
/// `HasKey` impl of it implements (see [`HasKey0`]), and the key of the
/// provider's source file, by which a module finds it (see [`Locate`]).
pub struct Id<const K: u64, S, const B: u8, const F: u64>(PhantomData<S>);

impl<const K: u64, S, const B: u8, const F: u64> std::fmt::Debug for Id<K, S, B, F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Id<{K}>")
    }
}

/// The key an [`Id`] carries, as a value: what `App::get` looks its slot
/// up by, in the module's plan, while compiling.
pub trait KeyOf {
    /// The provider's key.
    const KEY: u64;
}

impl<const K: u64, S, const B: u8, const F: u64> KeyOf for Id<K, S, B, F> {
    const KEY: u64 = K;
}

/// Implemented for every provided type that is local to the provider's
/// crate; `App::get::<T>()` looks `T` up through it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a provider",
    label = "no `#[provider]` provides `{Self}`",
    note = "annotate `{Self}` (its struct, its `impl` block, or a fn returning it) with `#[provider]` and list it in a module",
    note = "a provider fn that returns a type from another crate is looked up by the fn: `app.get_from::<fn_name>()`"
)]
pub trait Injectable {
    /// The key of the provider that provides `Self`: `Id<KEY, SCOPE, BUCKET, FILE>`.
    type Id: KeyOf;
    /// Where that provider is declared, for "provided elsewhere" errors.
    const DECLARED: &'static str;
}

/// A struct or `impl` provider is its own marker: one impl here instead
/// of one per provider (a fn provider's crate implements `Injectable` for
/// the type the fn returns).
impl<T: Provider<Output = T>> Injectable for T {
    type Id = T::Key;
    const DECLARED: &'static str = T::META.declared;
}

/// `M: Has<T, Id<K, S, B, F>>` — module `M`'s graph contains provider
/// `K`, which provides `T`: the bound `get::<T>()` and its kin check. It
/// holds where the module in which `M` finds the providers of file `F`
/// (see [`Locate`]) has `HasKeyB<K>` (see [`HasKey0`]). The provider's
/// slot is looked up by its key in `M::PLAN` while compiling (see
/// [`Plan::slot_of`]), and its scope is the `S` of its key.
#[diagnostic::on_unimplemented(
    message = "`{T}` is not provided by module `{Self}`",
    label = "`{T}` is not in the dependency graph of `{Self}`",
    note = "add a provider of `{T}` to `{Self}`'s `providers = [..]`, or import a module that provides it"
)]
pub trait Has<T: ?Sized, I>: Module {}

/// `M: Locate<F>` — module `M` finds the providers of source file `F`
/// (the last part of a provider's [`Id`]) in module `M::At`, which has a
/// `HasKeyB<K>` impl for each of them: `M` itself, or, where one of
/// `M`'s imports holds every provider of that file in `M`'s graph, the
/// module that import finds them in.
///
/// Generated by `#[module]`, one impl per source file of the module's
/// graph. Without it, a module would repeat a `HasKeyB` impl for every
/// provider of its whole subtree: an app a few modules deep would carry
/// several per provider, each of which rustc re-hashes and re-confirms on
/// every build.
pub trait Locate<const F: u64> {
    /// The module whose `HasKeyB` impls hold the file's providers.
    type At: ?Sized;
}

/// The module `M` finds the providers of file `F` in: what an importer's
/// [`Locate`] impl points at when one import holds them all.
pub type FoundIn<M, const F: u64> = <M as Locate<F>>::At;

/// The number of `HasKey` traits a module's keys are spread over: the
/// `B` of an [`Id`] is its key modulo this.
pub const KEY_BUCKETS: u64 = 64;

macro_rules! key_buckets {
    ($($bucket:literal $has_key:ident)*) => {$(
        #[doc = concat!("`X: ", stringify!($has_key), "<K>` — module `X` holds the provider whose key is `K`,")]
        #[doc = concat!("where `K % KEY_BUCKETS` is ", stringify!($bucket), ", for its own graph and every graph")]
        /// that finds the provider's file in `X` (see [`Locate`]).
        ///
        /// An empty impl per provider that a module finds in itself,
        /// generated by `#[module]`: thousands of them in a large graph.
        /// rustc checks the impls of one trait for one type pairwise for
        /// overlap, so a module's keys are spread over [`KEY_BUCKETS`]
        /// traits, and a module of `n` providers costs `n² / 128` such
        /// checks instead of `n² / 2`. Each impl names the bare key,
        /// without the type `T` of [`Has`] or the key's [`Id`]: less for
        /// rustc to resolve and check. An unmet bound reports [`Has`]'s
        /// message, which names `T` and the module that was asked, also
        /// where that module finds the file in an import.
        pub trait $has_key<const K: u64> {}

        // Not looked through in errors: what is missing is `T` in `M`'s
        // graph, whichever module `M` finds `T`'s file in.
        #[diagnostic::do_not_recommend]
        impl<M, T, const K: u64, S, const F: u64> Has<T, Id<K, S, $bucket, F>> for M
        where
            M: Module + Locate<F>,
            T: ?Sized,
            M::At: $has_key<K>,
        {
        }
    )*};
}

key_buckets! {
    0 HasKey0 1 HasKey1 2 HasKey2 3 HasKey3 4 HasKey4 5 HasKey5 6 HasKey6 7 HasKey7
    8 HasKey8 9 HasKey9 10 HasKey10 11 HasKey11 12 HasKey12 13 HasKey13 14 HasKey14 15 HasKey15
    16 HasKey16 17 HasKey17 18 HasKey18 19 HasKey19 20 HasKey20 21 HasKey21 22 HasKey22 23 HasKey23
    24 HasKey24 25 HasKey25 26 HasKey26 27 HasKey27 28 HasKey28 29 HasKey29 30 HasKey30 31 HasKey31
    32 HasKey32 33 HasKey33 34 HasKey34 35 HasKey35 36 HasKey36 37 HasKey37 38 HasKey38 39 HasKey39
    40 HasKey40 41 HasKey41 42 HasKey42 43 HasKey43 44 HasKey44 45 HasKey45 46 HasKey46 47 HasKey47
    48 HasKey48 49 HasKey49 50 HasKey50 51 HasKey51 52 HasKey52 53 HasKey53 54 HasKey54 55 HasKey55
    56 HasKey56 57 HasKey57 58 HasKey58 59 HasKey59 60 HasKey60 61 HasKey61 62 HasKey62 63 HasKey63
}

/// Type-level scopes, the `S` of [`Id`].
pub mod scope {
    /// Built at startup, one for the app.
    #[derive(Debug)]
    pub struct Singleton;
    /// Supplied at bootstrap, one for the app.
    #[derive(Debug)]
    pub struct Input;
    /// One per `Scope`.
    #[derive(Debug)]
    pub struct Request;
    /// A new one every time.
    #[derive(Debug)]
    pub struct Transient;
}

/// The [`Id`] of a singleton provider: the short form generated code writes.
pub type SingletonKey<const K: u64, const B: u8, const F: u64> = Id<K, scope::Singleton, B, F>;
/// The [`Id`] of an input.
pub type InputKey<const K: u64, const B: u8, const F: u64> = Id<K, scope::Input, B, F>;
/// The [`Id`] of a request-scoped provider.
pub type RequestKey<const K: u64, const B: u8, const F: u64> = Id<K, scope::Request, B, F>;
/// The [`Id`] of a transient provider.
pub type TransientKey<const K: u64, const B: u8, const F: u64> = Id<K, scope::Transient, B, F>;

/// `App::get::<T>()` returns values that live as long as the app.
#[diagnostic::on_unimplemented(
    message = "`{T}` does not live as long as the app: `app.get` returns singletons only",
    label = "`{T}` is request-scoped or transient",
    note = "get it from a scope, which builds it and tears it down: `app.scope().get::<{T}>().await`"
)]
pub trait AppWide<T: ?Sized> {}
impl<T: ?Sized, const K: u64, const B: u8, const F: u64> AppWide<T>
    for Id<K, scope::Singleton, B, F>
{
}
impl<T: ?Sized, const K: u64, const B: u8, const F: u64> AppWide<T> for Id<K, scope::Input, B, F> {}

/// `Builder::input::<T>()` takes the inputs of the graph only.
#[diagnostic::on_unimplemented(
    message = "`{T}` is not an input: its provider constructs it",
    label = "not declared with `#[provider(input)]`",
    note = "to put a value in place of a provider in a test, use `.replace(..)`"
)]
pub trait IsInput<T: ?Sized> {}
impl<T: ?Sized, const K: u64, const B: u8, const F: u64> IsInput<T> for Id<K, scope::Input, B, F> {}

/// The inputs given to a builder: `(A, (B, ()))` after `.input(b).input(a)`.
/// `Contains<T, I>`: the list holds a `T`, at the position `I` spells.
#[diagnostic::on_unimplemented(
    message = "the input `{T}` is not supplied",
    label = "`{T}` is declared with `#[provider(input)]` in this graph",
    note = "pass a value with `.input(value)` on the builder before `.bootstrap()`: `M::builder().input({T} {{ .. }}).bootstrap().await`"
)]
pub trait Contains<T, I> {}

/// The head of an input list.
#[derive(Debug)]
pub struct Here;
/// Further down an input list.
#[derive(Debug)]
pub struct There<I>(PhantomData<I>);

impl<T, Tail> Contains<T, Here> for (T, Tail) {}
impl<T, H, Tail: Contains<T, I>, I> Contains<T, There<I>> for (H, Tail) {}

/// `M: Supplied<S, I>`: the inputs `S` given to the builder hold every
/// input of `M`'s graph; implemented by `#[module]`.
#[diagnostic::on_unimplemented(
    message = "module `{Self}` has inputs that must be supplied at bootstrap",
    label = "`bootstrap()` takes no inputs",
    note = "supply each `#[provider(input)]` value: `{Self}::builder().input(..).bootstrap().await`"
)]
pub trait Supplied<S, I> {}

/// `Alias<K>::P` is the marker of a provider's `K`-th `bind(..)` or
/// `group(..)` alias.
pub trait Alias<const K: usize> {
    /// The alias's marker type.
    type P: Provider;
}

/// A constructor's dependencies: the slots of its dependencies in order,
/// and `counts[j]`, how many slots the `j`-th takes (optional: 0 or 1,
/// collection: any), empty when every one takes one.
#[derive(Debug)]
pub struct Deps<'a> {
    slots: &'a Slots,
    deps: &'a [u32],
    counts: &'a [u32],
    at: usize,
}

impl<'a> Deps<'a> {
    /// Start reading at the first dependency.
    pub(crate) fn new(slots: &'a Slots, deps: &'a [u32], counts: &'a [u32]) -> Self {
        Deps {
            slots,
            deps,
            counts,
            at: 0,
        }
    }

    /// The `i`-th dependency, when every one takes exactly one slot. What
    /// most constructors call, once per dependency: the only function
    /// compiled per dependency type.
    #[inline]
    pub fn at<T: ?Sized + 'static>(&self, i: usize) -> Arc<T> {
        match self.slots.value(self.deps[i]).downcast_ref::<T>() {
            Some(value) => value.clone(),
            None => missing(),
        }
    }

    /// How many slots the dependencies take.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.deps.len()
    }

    fn take(&mut self, j: usize) -> &'a [u32] {
        let n = self.counts.get(j).copied().unwrap_or(1) as usize;
        let taken = &self.deps[self.at..self.at + n];
        self.at += n;
        taken
    }

    /// The `j`-th dependency, which takes exactly one slot.
    pub fn one<T: ?Sized + 'static>(&mut self, j: usize) -> Arc<T> {
        let slot = self.take(j)[0];
        self.slots.get::<T>(slot)
    }

    /// The `j`-th dependency, present or not.
    pub fn optional<T: ?Sized + 'static>(&mut self, j: usize) -> Option<Arc<T>> {
        self.take(j).first().map(|&slot| self.slots.get::<T>(slot))
    }

    /// The `j`-th dependency: every member of a group, in declaration order.
    pub fn all<T: ?Sized + 'static>(&mut self, j: usize) -> Vec<Arc<T>> {
        self.take(j)
            .iter()
            .map(|&slot| self.slots.get::<T>(slot))
            .collect()
    }
}

/// Compile-time check that a dependency's declared type is the type of
/// the provider its name resolved to.
#[diagnostic::on_unimplemented(
    message = "the dependency type `{Self}` is not the type `{T}` that the graph provides under this name",
    label = "resolves to a provider of `{T}`",
    note = "dependencies are matched by type name: import the provided type, or rename one of the two types"
)]
pub trait SameAs<T: ?Sized> {}
impl<T: ?Sized> SameAs<T> for T {}

/// A well-formed `Same<A, B>` is the proof of `A: SameAs<B>`: `#[module]`
/// writes one per dependency, as the field types of one struct.
pub struct Same<A: ?Sized + SameAs<B>, B: ?Sized>(PhantomData<B>, PhantomData<A>);

impl<A: ?Sized + SameAs<B>, B: ?Sized> std::fmt::Debug for Same<A, B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Same")
    }
}

/// Emitted for a dependency the graph lacks: fails to compile either with
/// `IsProvider`'s message (no provider anywhere) or with a panic naming
/// where its provider is declared (a provider exists, its module is not
/// imported).
pub const fn assert_provider<T: ?Sized + Injectable>() {
    panic!("{}", T::DECLARED)
}

/// What a type-erased constructor step returns.
pub enum ErasedConstruct {
    /// Already built.
    Ready(Result<Erased, BoxError>),
    /// Async constructor.
    Async(BoxFuture<Result<Erased, BoxError>>),
    /// Blocking constructor.
    Blocking(Box<dyn FnOnce() -> Result<Erased, BoxError> + Send + 'static>),
}

impl std::fmt::Debug for ErasedConstruct {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ErasedConstruct::Ready(_) => "ErasedConstruct::Ready",
            ErasedConstruct::Async(_) => "ErasedConstruct::Async",
            ErasedConstruct::Blocking(_) => "ErasedConstruct::Blocking",
        })
    }
}

/// A provider's value, type-erased for its slot. Always inlined: a debug
/// build would otherwise compile one forwarding function per provider.
#[inline(always)]
pub fn erase_provided<P: Provider>(value: Arc<P::Output>) -> Erased {
    Erased::new(value)
}

/// The construction of a provider built on the spot: `value`, in an
/// `Arc`, type-erased. One call where generated code would otherwise
/// write four paths and nest three calls for rustc to check, per
/// provider; always inlined, so a debug build compiles no function of its
/// own for it.
#[inline(always)]
pub fn ready<P: Provider>(value: P::Output) -> ErasedConstruct
where
    P::Output: Sized,
{
    ErasedConstruct::Ready(Ok(Erased::new(Arc::new(value))))
}

/// The hook of a provider that has none: one shared function, so that
/// providers without hooks cost no code.
pub fn no_hook(_value: &Erased) -> Option<Hook> {
    None
}

/// The `Arc<T>` in a provider's own slot, for its hooks.
pub fn this<T: ?Sized + 'static>(value: &Erased) -> Arc<T> {
    value
        .downcast_ref::<T>()
        .expect("lifecycle: a slot holds the type its plan assigned to it")
        .clone()
}

/// A type-erased [`Provider::construct`].
pub type ConstructFn = fn(Deps<'_>) -> ErasedConstruct;

/// One provider, type-erased, as a module lists it.
#[derive(Debug, Clone, Copy)]
pub struct Step {
    /// Static description.
    pub meta: &'static ProviderMeta,
    /// Build the value; see [`Provider::construct`].
    pub construct: ConstructFn,
    /// The `post_construct` call, if the provider has one.
    pub post_construct: fn(&Erased) -> Option<Hook>,
    /// The `pre_destruct` call, if the provider has one.
    pub pre_destruct: fn(&Erased) -> Option<Hook>,
}

/// One position of a plan: a step and the slots of its dependencies.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// The provider.
    pub step: &'static Step,
    /// Slots of its dependencies, in the order of its parameters or
    /// fields: every edge of the graph into this entry.
    pub deps: &'static [u32],
    /// How many of `deps` each parameter or field takes; empty when every
    /// one takes exactly one (no optional or collection dependency).
    pub counts: &'static [u32],
    /// What the engine asks of every entry, copied out of `step.meta` so
    /// that the start and stop loops read the entries one after another
    /// and never the metadata (another cache line per provider) unless
    /// there is a hook to run.
    pub(crate) app_wide: bool,
    pub(crate) has_post_construct: bool,
    pub(crate) has_pre_destruct: bool,
    /// Startup times it: its construction runs the user's code, or it has
    /// a `post_construct`.
    pub(crate) timed: bool,
}

impl Entry {
    /// The entry of `step`, its dependencies at `deps`.
    pub fn new(step: &'static Step, deps: &'static [u32], counts: &'static [u32]) -> Self {
        let meta = step.meta;
        Entry {
            step,
            deps,
            counts,
            app_wide: meta.scope.is_app_wide(),
            has_post_construct: meta.post_construct.is_some(),
            has_pre_destruct: meta.pre_destruct.is_some(),
            timed: meta.user_code || meta.post_construct.is_some(),
        }
    }
}

/// A module's whole subtree in the fixed topological order.
///
/// The order and the edges are text, which the runtime reads once per
/// process, at the module's first bootstrap: a table of integers costs
/// rustc a node of its own per number, to lower, hash and evaluate, and a
/// module writes one entry for every provider of its subtree.
#[derive(Debug)]
pub struct Plan {
    /// The module's name.
    pub module: &'static str,
    /// The steps of every module of the subtree.
    pub modules: &'static [&'static [Step]],
    /// The entries in construction order, each ended by `;`: the indices
    /// of its module (in `modules`) and of its step there, then the slots
    /// of its dependencies, separated by spaces; and after `/`, for an
    /// entry with optional or collection dependencies, how many of those
    /// slots each parameter or field takes (see [`Entry::counts`]).
    /// `"0 0;0 1 0/1;"` is step 0 of module 0, then step 1 of module 0,
    /// whose one parameter takes slot 0.
    pub order: &'static str,
    /// Every entry's provider key (see [`Id`]), in slot order.
    pub keys: &'static [u64],
}

impl Plan {
    /// The slot of the provider with `key`, evaluated while compiling
    /// (`const { M::PLAN.slot_of(KEY) }`): `M: Has<T, Id<KEY, _, _, _>>`
    /// guarantees it is there.
    pub const fn slot_of(&self, key: u64) -> usize {
        let mut slot = 0;
        while slot < self.keys.len() {
            if self.keys[slot] == key {
                return slot;
            }
            slot += 1;
        }
        panic!("lifecycle: a provider key is missing from its module's plan")
    }

    /// How many entries (and slots) the plan has.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether the plan is empty.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Every entry, read from [`Plan::order`] in one pass over its bytes:
    /// its dependencies' slots and counts go into two tables, leaked,
    /// which the entries borrow.
    fn unpack(&'static self) -> &'static [Entry] {
        let broken = || -> ! { malformed(self.module, self.order) };
        let mut deps = Vec::new();
        let mut counts = Vec::new();
        let mut read = Vec::with_capacity(self.len());
        // The entry being read: its numbers so far (module, step, then
        // slots), where its counts start in `numbers` (after `/`), and
        // the number being read.
        let mut numbers: Vec<u32> = Vec::new();
        let mut counts_at = None;
        let mut number: Option<u32> = None;
        for &byte in self.order.as_bytes() {
            if byte.is_ascii_digit() {
                let digit = u32::from(byte - b'0');
                let value = number
                    .unwrap_or(0)
                    .checked_mul(10)
                    .and_then(|n| n.checked_add(digit));
                number = Some(value.unwrap_or_else(|| broken()));
                continue;
            }
            numbers.push(number.take().unwrap_or_else(|| broken()));
            match byte {
                b' ' => {}
                b'/' if counts_at.is_none() => counts_at = Some(numbers.len()),
                b';' => {
                    let split = counts_at.take().unwrap_or(numbers.len());
                    let (slots, per_dep) = numbers.split_at(split);
                    let [module, step, slots @ ..] = slots else {
                        broken()
                    };
                    let step = self
                        .modules
                        .get(*module as usize)
                        .and_then(|steps| steps.get(*step as usize))
                        .unwrap_or_else(|| broken());
                    let (dep_start, count_start) = (deps.len(), counts.len());
                    deps.extend_from_slice(slots);
                    counts.extend_from_slice(per_dep);
                    read.push((step, dep_start..deps.len(), count_start..counts.len()));
                    numbers.clear();
                }
                _ => broken(),
            }
        }
        if number.is_some() || !numbers.is_empty() || read.len() != self.len() {
            broken()
        }
        let deps: &'static [u32] = Box::leak(deps.into_boxed_slice());
        let counts: &'static [u32] = Box::leak(counts.into_boxed_slice());
        Box::leak(
            read.into_iter()
                .map(|(step, d, c)| Entry::new(step, &deps[d], &counts[c]))
                .collect(),
        )
    }

    /// Every entry, in construction order, read from the text once per
    /// process and kept, so that a bootstrap after the first one of a
    /// module only looks it up. Keyed by the plan's address; a constant
    /// that exists at several addresses is unpacked once per address.
    pub(crate) fn unpacked(&'static self) -> &'static [Entry] {
        type Unpacked = std::collections::HashMap<
            usize,
            &'static [Entry],
            std::hash::BuildHasherDefault<AddressHasher>,
        >;
        static UNPACKED: std::sync::OnceLock<std::sync::Mutex<Unpacked>> =
            std::sync::OnceLock::new();
        thread_local! {
            /// The last plan this thread looked up: an app bootstrapped
            /// again and again skips the lock.
            static LAST: std::cell::Cell<(usize, &'static [Entry])> =
                const { std::cell::Cell::new((0, &[])) };
        }
        let key = std::ptr::from_ref(self) as usize;
        if let Ok((last, entries)) = LAST.try_with(std::cell::Cell::get)
            && last == key
        {
            return entries;
        }
        let mut unpacked = UNPACKED
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let entries: &'static [Entry] = unpacked.entry(key).or_insert_with(|| self.unpack());
        let _ = LAST.try_with(|last| last.set((key, entries)));
        entries
    }

    /// A plan of hand-made entries, leaked: for tests of the engine.
    #[cfg(test)]
    pub(crate) fn leak(module: &'static str, entries: Vec<Entry>) -> &'static Plan {
        use std::fmt::Write;
        let steps: &'static [Step] = Box::leak(entries.iter().map(|e| *e.step).collect());
        let mut order = String::new();
        for (i, e) in entries.iter().enumerate() {
            write!(order, "0 {i}").unwrap();
            for dep in e.deps {
                write!(order, " {dep}").unwrap();
            }
            for (j, count) in e.counts.iter().enumerate() {
                write!(order, "{}{count}", if j == 0 { '/' } else { ' ' }).unwrap();
            }
            order.push(';');
        }
        Box::leak(Box::new(Plan {
            module,
            modules: Box::leak(Box::new([steps])),
            order: Box::leak(order.into_boxed_str()),
            keys: Box::leak((0..entries.len() as u64).collect()),
        }))
    }
}

/// A plan's text does not read: generated code is wrong, not the user's.
#[cold]
fn malformed(module: &str, order: &str) -> ! {
    panic!("lifecycle: the plan of module `{module}` is malformed (a bug of lifecycle): {order:?}")
}

/// Hashes an address for [`Plan::unpacked`]'s map: one multiplication
/// (Fibonacci hashing) instead of SipHash, whose resistance to chosen keys
/// addresses do not need.
#[derive(Default)]
struct AddressHasher(u64);

impl std::hash::Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }

    fn write_usize(&mut self, address: usize) {
        self.0 = (address as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// Implemented by `#[module]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a module",
    label = "not a `#[module]`",
    note = "annotate `{Self}` with `#[module(..)]`, or list providers in `providers = [..]`"
)]
pub trait Module: Sized + 'static {
    /// The module's own providers.
    const STEPS: &'static [Step];
    /// The plan of the module's whole subtree.
    const PLAN: Plan;
}

/// Implemented by `#[module]` at once, before its graph is gathered, so
/// that a misplaced path is reported without cascading.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a module",
    label = "not a `#[module]`",
    note = "annotate `{Self}` with `#[module(..)]`; a provider goes in `providers = [..]`, not in `imports = [..]`"
)]
pub trait IsModule {}

/// `Imports<I>::M` is the module's `I`-th import (`I` a type-level
/// number, see [`N0`]).
pub trait Imports<I> {
    /// The imported module.
    type M: IsModule;
}

/// `Provides<C>::Pk` is the marker of the module's own provider
/// `16 * C + k` (`C` a type-level number, see [`N0`]): one impl per
/// sixteen providers, whose listed paths each meet the `Provider` bound
/// where they are written. A last chunk of fewer is filled with
/// [`Absent`].
pub trait Provides<C> {
    /// The marker of provider `16 * C + 0`.
    type P0: Provider;
    /// The marker of provider `16 * C + 1`.
    type P1: Provider;
    /// The marker of provider `16 * C + 2`.
    type P2: Provider;
    /// The marker of provider `16 * C + 3`.
    type P3: Provider;
    /// The marker of provider `16 * C + 4`.
    type P4: Provider;
    /// The marker of provider `16 * C + 5`.
    type P5: Provider;
    /// The marker of provider `16 * C + 6`.
    type P6: Provider;
    /// The marker of provider `16 * C + 7`.
    type P7: Provider;
    /// The marker of provider `16 * C + 8`.
    type P8: Provider;
    /// The marker of provider `16 * C + 9`.
    type P9: Provider;
    /// The marker of provider `16 * C + 10`.
    type P10: Provider;
    /// The marker of provider `16 * C + 11`.
    type P11: Provider;
    /// The marker of provider `16 * C + 12`.
    type P12: Provider;
    /// The marker of provider `16 * C + 13`.
    type P13: Provider;
    /// The marker of provider `16 * C + 14`.
    type P14: Provider;
    /// The marker of provider `16 * C + 15`.
    type P15: Provider;
}

/// Fills the slots of a module's last [`Provides`] chunk past its own
/// providers. No graph lists it, and no error message suggests it.
#[derive(Debug)]
pub enum Absent {}

#[diagnostic::do_not_recommend]
impl Provider for Absent {
    type Output = ();
    const META: ProviderMeta = ProviderMeta::plain("Absent", "", "", false, "");
    type Key = SingletonKey<0, 0, 0>;
    type Deps = E;
    fn construct(_: Deps<'_>) -> ErasedConstruct {
        unreachable!("`Absent` fills a chunk; no plan lists it")
    }
}

/// `Sub<M, I>`: module `M`'s `I`-th import. This and the aliases below
/// are the short forms of the projections generated code writes by the
/// thousand.
pub type Sub<M, I> = <M as Imports<I>>::M;
/// `Sub2<M, A, B>`: `Sub<Sub<M, A>, B>`, one path for rustc to resolve
/// instead of two.
pub type Sub2<M, A, B> = Sub<Sub<M, A>, B>;
/// `Sub3<M, A, B, C>`: `Sub<Sub<Sub<M, A>, B>, C>`.
pub type Sub3<M, A, B, C> = Sub<Sub2<M, A, B>, C>;
/// `Own{k}<M, C>`: the marker of module `M`'s own provider `16 * C + k`.
macro_rules! own {
    ($($own:ident $p:ident)*) => {
        $(
            #[doc(hidden)]
            pub type $own<M, C> = <M as Provides<C>>::$p;
        )*
    };
}
own!(
    Own0 P0 Own1 P1 Own2 P2 Own3 P3 Own4 P4 Own5 P5 Own6 P6 Own7 P7
    Own8 P8 Own9 P9 Own10 P10 Own11 P11 Own12 P12 Own13 P13 Own14 P14 Own15 P15
);
/// `AliasOf<P, K>`: the marker of provider `P`'s `K`-th alias.
pub type AliasOf<P, const K: usize> = <P as Alias<K>>::P;
/// `DepOf<P, J>`: the declared type of provider `P`'s `J`-th dependency,
/// for `J` below [`DEPS_LISTED`]; [`DepAt`] for the others.
pub type DepOf<P, J> = <<P as Provider>::Deps as At<J>>::T;
/// `Out<P>`: the type provider `P` provides.
pub type Out<P> = <P as Provider>::Output;

/// `SameDep<P, J, Q>`: the check that provider `P`'s `J`-th dependency
/// has the type provider `Q` provides (see [`Same`]), in one path.
pub type SameDep<P, J, Q> = Same<DepOf<P, J>, Out<Q>>;

/// Values of a plan, one slot per entry. A scope's slots fall back to the
/// app's for values that live as long as the app.
pub struct Slots {
    values: Table<Erased, 16>,
    parent: Option<Arc<dyn ParentSlots>>,
}

/// A plan is checked at compile time: a slot read before its value was
/// built, or holding another type, is a bug of this crate.
#[cold]
#[inline(never)]
fn missing() -> ! {
    panic!("lifecycle: a dependency is constructed before its dependents")
}

/// Whatever owns the slots a scope's slots fall back to.
pub(crate) trait ParentSlots: Send + Sync {
    fn slots(&self) -> &Slots;
}

impl std::fmt::Debug for Slots {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Slots")
            .field("len", &self.values.len())
            .field("scoped", &self.parent.is_some())
            .finish()
    }
}

impl Slots {
    pub(crate) fn new(len: usize) -> Self {
        Slots {
            values: Table::full(len),
            parent: None,
        }
    }

    /// Empty slots of a scope over `parent`'s.
    pub(crate) fn scoped(len: usize, parent: Arc<dyn ParentSlots>) -> Self {
        Slots {
            values: Table::sparse(len),
            parent: Some(parent),
        }
    }

    /// The value in `slot`, which the plan guarantees to be an `Arc<T>`.
    /// Only the common case is here: the value is in these slots, of the
    /// expected type.
    #[inline]
    pub fn get<T: ?Sized + 'static>(&self, slot: u32) -> Arc<T> {
        match self.value(slot).downcast_ref::<T>() {
            Some(value) => value.clone(),
            None => missing(),
        }
    }

    /// The value in `slot`, type-erased: [`get`](Self::get) but the type.
    #[inline]
    fn value(&self, slot: u32) -> &Erased {
        match self.values.get(slot as usize) {
            Some(value) => value,
            None => self.inherited_value(slot as usize),
        }
    }

    /// [`value`](Self::value) a scope inherits from the app. Only a
    /// scope's slots take this path: marked cold so that the startup path,
    /// in every constructor's reads, runs straight through.
    #[cold]
    #[inline(never)]
    fn inherited_value(&self, slot: usize) -> &Erased {
        match self.parent.as_ref() {
            Some(parent) => parent.slots().values.get(slot),
            None => None,
        }
        .unwrap_or_else(|| missing())
    }

    /// The value in `slot`, here or in the parent's slots.
    #[inline]
    pub(crate) fn erased(&self, slot: usize) -> Option<&Erased> {
        match self.values.get(slot) {
            Some(value) => Some(value),
            None => self.parent.as_ref()?.slots().values.get(slot),
        }
    }

    /// Whether `slot`'s value comes from the parent's slots (a singleton,
    /// an input or a replacement, for a scope).
    pub(crate) fn inherited(&self, slot: usize) -> bool {
        self.values.get(slot).is_none() && self.erased(slot).is_some()
    }

    /// The value in `slot` of these slots only.
    pub(crate) fn own(&self, slot: usize) -> Option<&Erased> {
        self.values.get(slot)
    }

    #[inline]
    pub(crate) fn set(&mut self, slot: usize, value: Erased) {
        self.values.set(slot, value);
    }

    pub(crate) fn take(&mut self, slot: usize) -> Option<Erased> {
        self.values.take(slot)
    }
}

impl Drop for Slots {
    /// Values are released in reverse construction order.
    fn drop(&mut self) {
        // One pass, from the last slot; the table is freed after it.
        self.values.clear_rev();
    }
}

/// `Err` conversion for fallible constructors and hooks.
pub fn box_error<E: Into<BoxError>>(error: E) -> BoxError {
    error.into()
}

/// Turns a hook's return value (`()` or `Result<(), E>`) into a result.
#[diagnostic::on_unimplemented(
    message = "a lifecycle hook must return `()` or `Result<(), E>`, not `{Self}`",
    label = "returns `{Self}`",
    note = "`E` is any error convertible into `Box<dyn Error + Send + Sync>`"
)]
pub trait HookOutput {
    /// Convert.
    fn into_result(self) -> Result<(), BoxError>;
}

impl HookOutput for () {
    fn into_result(self) -> Result<(), BoxError> {
        Ok(())
    }
}

impl<E: Into<BoxError>> HookOutput for Result<(), E> {
    fn into_result(self) -> Result<(), BoxError> {
        self.map_err(Into::into)
    }
}

/// Parse a `Duration` from milliseconds, for generated `const`s.
pub const fn millis(ms: u64) -> Duration {
    Duration::from_millis(ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unbuilt(_: Deps<'_>) -> ErasedConstruct {
        unreachable!("plans are only read here")
    }

    const fn meta(name: &'static str) -> ProviderMeta {
        ProviderMeta::plain(name, "src/lib.rs:1:1", "new", false, "")
    }

    const fn step(meta: &'static ProviderMeta) -> Step {
        Step {
            meta,
            construct: unbuilt,
            post_construct: no_hook,
            pre_destruct: no_hook,
        }
    }

    static METAS: [ProviderMeta; 3] = [meta("Config"), meta("Server"), meta("Pool")];
    static ROOT: [Step; 2] = [step(&METAS[0]), step(&METAS[1])];
    static IMPORTED: [Step; 1] = [step(&METAS[2])];

    fn names(entries: &[Entry]) -> Vec<&'static str> {
        entries.iter().map(|e| e.step.meta.name).collect()
    }

    #[test]
    fn a_plan_reads_its_order_edges_and_counts_from_text() {
        static PLAN: Plan = Plan {
            module: "AppModule",
            modules: &[&IMPORTED, &ROOT],
            // Pool; Config; Server taking Pool and an optional dependency
            // that resolved to nothing, then Config.
            order: "0 0;1 0;1 1 0 1/1 0 1;",
            keys: &[7, 8, 9],
        };
        let entries = PLAN.unpacked();
        assert_eq!(names(entries), ["Pool", "Config", "Server"]);
        assert_eq!(entries[0].deps, &[] as &[u32]);
        assert_eq!(entries[1].counts, &[] as &[u32]);
        assert_eq!(entries[2].deps, &[0, 1]);
        assert_eq!(entries[2].counts, &[1, 0, 1]);
        // Read once: the same entries again.
        assert!(std::ptr::eq(entries, PLAN.unpacked()));
        assert_eq!(PLAN.slot_of(9), 2);
    }

    #[test]
    fn hand_made_entries_round_trip_through_the_text() {
        let config = Entry::new(&ROOT[0], &[], &[]);
        let server = Entry::new(&ROOT[1], &[0, 0], &[2]);
        let plan = Plan::leak("TestModule", vec![config, server]);
        assert_eq!(plan.order, "0 0;0 1 0 0/2;");
        let entries = plan.unpacked();
        assert_eq!(names(entries), ["Config", "Server"]);
        assert_eq!(
            (entries[1].deps, entries[1].counts),
            (&[0, 0][..], &[2][..])
        );
    }

    #[test]
    #[should_panic(expected = "the plan of module `Broken` is malformed")]
    fn a_plan_that_does_not_read_names_its_module() {
        static PLAN: Plan = Plan {
            module: "Broken",
            modules: &[&ROOT],
            order: "0 0;0 5;",
            keys: &[1, 2],
        };
        PLAN.unpacked();
    }
}
