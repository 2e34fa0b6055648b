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

/// `len` values of `T`, in pieces of `C` (a power of two).
pub(crate) struct Table<T, const C: usize> {
    chunks: Box<[Box<[T; C]>]>,
    len: usize,
}

impl<T: Default, const C: usize> Table<T, C> {
    /// `len` default values.
    pub(crate) fn new(len: usize) -> Self {
        const { assert!(C.is_power_of_two(), "a piece holds a power of two") };
        Table {
            chunks: (0..len.div_ceil(C))
                .map(|_| Box::new(std::array::from_fn(|_| T::default())))
                .collect(),
            len,
        }
    }
}

impl<T, const C: usize> Table<T, C> {
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Calls `f` on every value, from the last to the first.
    pub(crate) fn for_each_rev(&mut self, mut f: impl FnMut(&mut T)) {
        let len = self.len;
        for (c, chunk) in self.chunks.iter_mut().enumerate().rev() {
            // The last piece holds room past `len`: not a value.
            let used = (len - c * C).min(C);
            for value in chunk[..used].iter_mut().rev() {
                f(value);
            }
        }
    }
}

impl<T, const C: usize> std::ops::Index<usize> for Table<T, C> {
    type Output = T;

    #[inline]
    fn index(&self, i: usize) -> &T {
        &self.chunks[i / C][i % C]
    }
}

impl<T, const C: usize> std::ops::IndexMut<usize> for Table<T, C> {
    #[inline]
    fn index_mut(&mut self, i: usize) -> &mut T {
        &mut self.chunks[i / C][i % C]
    }
}

/// A growing list in pieces of `C` values (a power of two).
pub(crate) struct List<T, const C: usize> {
    chunks: Vec<Box<[Option<T>; C]>>,
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
            self.chunks.push(Box::new(std::array::from_fn(|_| None)));
        }
        let i = self.len;
        self.chunks[i / C][i % C] = Some(value);
        self.len += 1;
    }

    pub(crate) fn len(&self) -> usize {
        self.len
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
    fn a_table_indexes_across_pieces_and_iterates_backwards() {
        let mut table = Table::<u32, 4>::new(10);
        assert_eq!(table.len(), 10);
        for i in 0..10 {
            table[i] = i as u32 * 10;
        }
        assert_eq!(table[0], 0);
        assert_eq!(table[4], 40);
        assert_eq!(table[9], 90);
        let mut back = Vec::new();
        table.for_each_rev(|v| back.push(*v));
        assert_eq!(back, [90, 80, 70, 60, 50, 40, 30, 20, 10, 0]);
    }

    #[test]
    #[should_panic]
    fn a_table_refuses_an_index_past_its_pieces() {
        let table = Table::<u32, 4>::new(8);
        let _ = table[8];
    }

    #[test]
    fn a_list_keeps_its_order_across_pieces() {
        let mut list = List::<u32, 4>::with_capacity(3);
        assert_eq!(list.iter().count(), 0);
        for i in 0..9 {
            list.push(i * 2);
        }
        assert_eq!(list.len(), 9);
        let values: Vec<u32> = list.iter().copied().collect();
        assert_eq!(values, [0, 2, 4, 6, 8, 10, 12, 14, 16]);
        assert_eq!(list.iter().next_back(), Some(&16));
        assert_eq!(list.iter().len(), 9);
    }
}
