//! [`Erased`]: a provided value with its type erased, in one allocation.
//!
//! A value lives in an `Arc<T>`, and `T` may be unsized (`dyn Mailer`), so
//! the `Arc` is a thin or a wide pointer. `Box<dyn Any>` would hold it in a
//! second allocation per value; this keeps the pointer inline instead, with
//! the type id that every read checks. The crate's only `unsafe` code, kept
//! to the three operations that need it.
#![allow(unsafe_code)]

use std::any::TypeId;
use std::mem::{ManuallyDrop, MaybeUninit};
use std::sync::Arc;

/// Room for an `Arc<T>`: one pointer, or two when `T` is unsized.
type Raw = [*const (); 2];

/// An `Arc<T>` seen as the bytes `Erased` keeps: moving it in through a
/// union, rather than `ptr::write`, leaves no helper function to compile
/// per provided type in a debug build.
union Bytes<T: ?Sized> {
    arc: ManuallyDrop<Arc<T>>,
    raw: MaybeUninit<Raw>,
}

/// A provided value behind type erasure: an `Arc<T>` for some
/// `T: ?Sized + Send + Sync`, kept inline — never a second allocation —
/// with `T`'s type id to check every read.
pub struct Erased {
    /// The `Arc<T>`'s own bytes.
    arc: MaybeUninit<Raw>,
    /// `TypeId::of::<T>()`.
    type_id: TypeId,
    /// Drops the `Arc<T>` held in `arc`.
    drop: unsafe fn(*mut Raw),
}

// SAFETY: an `Erased` owns an `Arc<T>` with `T: Send + Sync` (the bound of
// `Erased::new`, its only constructor), and such an `Arc<T>` is `Send`.
unsafe impl Send for Erased {}
// SAFETY: as for `Send`; shared access only ever lends out `&Arc<T>`.
unsafe impl Sync for Erased {}

impl Erased {
    /// Erase `value`.
    #[inline]
    pub fn new<T: ?Sized + Send + Sync + 'static>(value: Arc<T>) -> Self {
        const {
            assert!(
                size_of::<Arc<T>>() <= size_of::<Raw>()
                    && align_of::<Arc<T>>() <= align_of::<Raw>(),
                "an `Arc` is one or two pointers"
            )
        };
        let arc = Bytes {
            arc: ManuallyDrop::new(value),
        };
        Erased {
            // SAFETY: reading the bytes of a union field as `MaybeUninit`
            // is always sound; the `Arc` is now owned by them.
            arc: unsafe { arc.raw },
            type_id: const { TypeId::of::<T>() },
            drop: drop_arc::<T>,
        }
    }

    /// The `Arc<T>`, if `T` is the type this value was erased from.
    /// Always inlined (into `Slots::get`): a comparison and a cast, not
    /// worth a function of its own per type in a debug build.
    #[inline(always)]
    pub fn downcast_ref<T: ?Sized + 'static>(&self) -> Option<&Arc<T>> {
        if self.type_id != const { TypeId::of::<T>() } {
            return None;
        }
        // SAFETY: `new::<T>` wrote an `Arc<T>` into `arc`, of this very `T`
        // by its type id, and only `Drop` ever takes it out.
        Some(unsafe { &*(self.arc.as_ptr() as *const Arc<T>) })
    }
}

/// # Safety
/// `raw` holds an `Arc<T>` written by [`Erased::new`] and not dropped yet.
unsafe fn drop_arc<T: ?Sized>(raw: *mut Raw) {
    // SAFETY: the caller's contract.
    unsafe { std::ptr::drop_in_place(raw as *mut Arc<T>) }
}

impl Drop for Erased {
    fn drop(&mut self) {
        // SAFETY: `self.drop` is `drop_arc` of the type `new` wrote, and a
        // value is dropped once.
        unsafe { (self.drop)(self.arc.as_mut_ptr()) }
    }
}

impl std::fmt::Debug for Erased {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Erased").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Debug;

    #[test]
    fn reads_back_a_sized_value_as_the_same_arc() {
        let value = Arc::new(41_u64);
        let erased = Erased::new(value.clone());
        let read = erased.downcast_ref::<u64>().expect("same type");
        assert!(Arc::ptr_eq(read, &value));
        assert_eq!(Arc::strong_count(&value), 2);
    }

    #[test]
    fn reads_back_wide_pointers() {
        let object: Arc<dyn Debug + Send + Sync> = Arc::new("x");
        let erased = Erased::new(object.clone());
        let read = erased
            .downcast_ref::<dyn Debug + Send + Sync>()
            .expect("same type");
        assert!(Arc::ptr_eq(read, &object));
        assert_eq!(format!("{read:?}"), "\"x\"");
        let text: Arc<str> = Arc::from("hello");
        let erased = Erased::new(text);
        assert_eq!(&**erased.downcast_ref::<str>().expect("same type"), "hello");
    }

    #[test]
    fn refuses_other_types() {
        let erased = Erased::new(Arc::new(1_u32));
        assert!(erased.downcast_ref::<u64>().is_none());
        assert!(erased.downcast_ref::<dyn Debug + Send + Sync>().is_none());
        assert!(erased.downcast_ref::<u32>().is_some());
    }

    #[test]
    fn drops_its_arc_exactly_once() {
        let value: Arc<dyn Debug + Send + Sync> = Arc::new(vec![1, 2, 3]);
        let erased = Erased::new(value.clone());
        let moved = erased;
        assert_eq!(Arc::strong_count(&value), 2);
        drop(moved);
        assert_eq!(Arc::strong_count(&value), 1);
    }

    #[test]
    fn crosses_threads() {
        let erased = Erased::new(Arc::new(String::from("sent")));
        let back = std::thread::spawn(move || erased).join().expect("joins");
        assert_eq!(
            back.downcast_ref::<String>().map(|s| s.as_str()),
            Some("sent")
        );
    }
}
