//! A fixed-size bitset over operations (or scopes, or levels).

#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Bitset {
    words: Vec<u64>,
}

impl Bitset {
    pub fn new(bits: usize) -> Bitset {
        Bitset {
            words: vec![0; bits.div_ceil(64)],
        }
    }

    pub fn full(bits: usize) -> Bitset {
        let mut b = Bitset::new(bits);
        for i in 0..bits {
            b.insert(i);
        }
        b
    }

    pub fn insert(&mut self, i: usize) {
        self.words[i / 64] |= 1 << (i % 64);
    }

    pub fn remove(&mut self, i: usize) {
        self.words[i / 64] &= !(1 << (i % 64));
    }

    pub fn contains(&self, i: usize) -> bool {
        self.words
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    pub fn union_with(&mut self, other: &Bitset) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
    }

    pub fn intersect_with(&mut self, other: &Bitset) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= b;
        }
    }

    pub fn count(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// `|self ∩ other|`.
    pub fn count_and(&self, other: &Bitset) -> usize {
        self.words
            .iter()
            .zip(&other.words)
            .map(|(a, b)| (a & b).count_ones() as usize)
            .sum()
    }

    /// `(|(self ∪ add) ∩ mask|, |self ∪ add|)` without allocating.
    pub fn union_counts(&self, add: &Bitset, mask: &Bitset) -> (usize, usize) {
        let mut w = 0;
        let mut t = 0;
        for ((a, b), m) in self.words.iter().zip(&add.words).zip(&mask.words) {
            let u = a | b;
            w += (u & m).count_ones() as usize;
            t += u.count_ones() as usize;
        }
        (w, t)
    }

    pub fn is_subset(&self, other: &Bitset) -> bool {
        self.words
            .iter()
            .zip(&other.words)
            .all(|(a, b)| a & !b == 0)
    }

    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|&w| w == 0)
    }

    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(|(wi, &w)| {
            let mut w = w;
            std::iter::from_fn(move || {
                if w == 0 {
                    return None;
                }
                let b = w.trailing_zeros() as usize;
                w &= w - 1;
                Some(wi * 64 + b)
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_operations() {
        let mut a = Bitset::new(130);
        a.insert(0);
        a.insert(64);
        a.insert(129);
        let mut b = Bitset::new(130);
        b.insert(64);
        b.insert(100);
        assert_eq!(a.count(), 3);
        assert_eq!(a.count_and(&b), 1);
        assert_eq!(a.union_counts(&b, &Bitset::full(130)), (4, 4));
        assert_eq!(a.iter().collect::<Vec<_>>(), vec![0, 64, 129]);
        assert!(!b.is_subset(&a));
        a.union_with(&b);
        assert!(b.is_subset(&a));
        a.remove(0);
        assert!(!a.contains(0) && a.contains(100));
    }
}
