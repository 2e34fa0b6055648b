//! Per-app tables sized by the number of providers, kept in pieces.
//!
//! An app of 1,000 providers needs a slot per provider (40 KB) and a list
//! of what started (4 KB). As one allocation each, those are "large"
//! requests to glibc's allocator, and a large request first consolidates
//! every small block freed since (here: the previous app's values, or
//! whatever the program freed before), so the provider values allocated
//! right after take its slow path. Pieces of at most a few hundred bytes
//! are small requests, served from the thread cache like the values
//! themselves: bootstrap + shutdown of 1,000 providers executes about a
//! fifth fewer instructions (`bench/examples/profile.rs`), and the test
//! `bench/tests/scale_one_module.rs` holds it to small blocks.

/// `C` places for values of `T`, allocated together.
type Piece<T, const C: usize> = Box<[Option<T>; C]>;

fn piece<T, const C: usize>() -> Piece<T, C> {
    Box::new(std::array::from_fn(|_| None))
}

/// Room for `len` values of `T`, in pieces of `C` (a power of two). The
/// pieces are allocated up front ([`full`](Self::full): an app's slots,
/// every one of which startup fills) or when a value first goes in one
/// ([`sparse`](Self::sparse): a scope's slots, which hold a few
/// request-scoped values).
pub(crate) struct Table<T, const C: usize> {
    chunks: Box<[Option<Piece<T, C>>]>,
    len: usize,
}

impl<T, const C: usize> Table<T, C> {
    /// Room for `len` values, none there yet, every piece allocated.
    pub(crate) fn full(len: usize) -> Self {
        const { assert!(C.is_power_of_two(), "a piece holds a power of two") };
        Table {
            chunks: (0..len.div_ceil(C)).map(|_| Some(piece())).collect(),
            len,
        }
    }

    /// Room for `len` values, none there yet, no piece allocated.
    pub(crate) fn sparse(len: usize) -> Self {
        const { assert!(C.is_power_of_two(), "a piece holds a power of two") };
        Table {
            chunks: (0..len.div_ceil(C)).map(|_| None).collect(),
            len,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The value at `i`, if one was put there.
    #[inline]
    pub(crate) fn get(&self, i: usize) -> Option<&T> {
        match &self.chunks[i / C] {
            Some(chunk) => chunk[i % C].as_ref(),
            None => None,
        }
    }

    /// Put `value` at `i`, dropping what was there.
    #[inline]
    pub(crate) fn set(&mut self, i: usize, value: T) {
        let chunk = self.chunks[i / C].get_or_insert_with(piece);
        chunk[i % C] = Some(value);
    }

    /// Take the value at `i` out.
    pub(crate) fn take(&mut self, i: usize) -> Option<T> {
        self.chunks[i / C].as_mut()?[i % C].take()
    }

    /// Drop every value, from the last to the first.
    pub(crate) fn clear_rev(&mut self) {
        for chunk in self.chunks.iter_mut().rev().flatten() {
            for value in chunk.iter_mut().rev() {
                drop(value.take());
            }
        }
    }
}

/// A growing list in pieces of `C` values (a power of two).
pub(crate) struct List<T, const C: usize> {
    chunks: Vec<Piece<T, C>>,
    len: usize,
}

impl<T, const C: usize> List<T, C> {
    /// An empty list with room for the pieces of `capacity` values (the
    /// pieces themselves come as values are pushed).
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        const { assert!(C.is_power_of_two(), "a piece holds a power of two") };
        List {
            chunks: Vec::with_capacity(capacity.div_ceil(C)),
            len: 0,
        }
    }

    #[inline]
    pub(crate) fn push(&mut self, value: T) {
        if self.len.is_multiple_of(C) {
            self.chunks.push(piece());
        }
        let i = self.len;
        self.chunks[i / C][i % C] = Some(value);
        self.len += 1;
    }

    /// The values in order.
    pub(crate) fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + ExactSizeIterator + '_ {
        (0..self.len).map(|i| {
            self.chunks[i / C][i % C]
                .as_ref()
                .expect("the first `len` values were pushed")
        })
    }
}

impl<T, const C: usize> Default for List<T, C> {
    /// Empty, with nothing allocated until a value is pushed.
    fn default() -> Self {
        Self::with_capacity(0)
    }
}

impl<T, const C: usize> std::fmt::Debug for List<T, C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("List").field("len", &self.len).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_allocates_a_piece_when_a_value_first_goes_in_it() {
        let mut table = Table::<u32, 4>::sparse(10);
        assert_eq!(table.len(), 10);
        assert_eq!(table.get(9), None);
        table.set(9, 90);
        table.set(1, 10);
        assert_eq!(table.get(9), Some(&90));
        assert_eq!(table.get(1), Some(&10));
        assert_eq!(table.get(0), None);
        // The middle piece was never needed.
        assert!(table.chunks[1].is_none());
        assert_eq!(table.take(4), None);
        assert_eq!(table.take(9), Some(90));
        assert_eq!(table.get(9), None);
    }

    #[test]
    fn a_table_drops_its_values_from_the_last_to_the_first() {
        struct Noisy(u32, std::rc::Rc<std::cell::RefCell<Vec<u32>>>);
        impl Drop for Noisy {
            fn drop(&mut self) {
                self.1.borrow_mut().push(self.0);
            }
        }
        let dropped = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
        let mut table = Table::<Noisy, 4>::full(10);
        for i in [0, 3, 4, 9] {
            table.set(i, Noisy(i as u32, dropped.clone()));
        }
        table.clear_rev();
        assert_eq!(*dropped.borrow(), [9, 4, 3, 0]);
        assert_eq!(table.get(0).map(|n| n.0), None);
    }

    #[test]
    #[should_panic]
    fn a_table_refuses_an_index_past_its_pieces() {
        let table = Table::<u32, 4>::full(8);
        assert_eq!(table.get(7), None);
        let _ = table.get(8);
    }

    #[test]
    fn a_list_keeps_its_order_across_pieces() {
        let mut list = List::<u32, 4>::with_capacity(3);
        assert_eq!(list.iter().count(), 0);
        for i in 0..9 {
            list.push(i * 2);
        }
        let values: Vec<u32> = list.iter().copied().collect();
        assert_eq!(values, [0, 2, 4, 6, 8, 10, 12, 14, 16]);
        assert_eq!(list.iter().next_back(), Some(&16));
        assert_eq!(list.iter().len(), 9);
    }
}
