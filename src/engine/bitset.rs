//! Fixed-size bitsets: destination sets are a handful of words, so membership is one load.

/// A set of places (indices into `Places`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PlaceSet([u64; 5]);

impl PlaceSet {
    pub const CAPACITY: usize = 320;

    pub fn insert(&mut self, i: u16) {
        self.0[(i / 64) as usize] |= 1 << (i % 64);
    }

    pub fn contains(&self, i: u16) -> bool {
        self.0[(i / 64) as usize] & (1 << (i % 64)) != 0
    }

    pub fn union(&self, o: &PlaceSet) -> PlaceSet {
        let mut r = *self;
        for (a, b) in r.0.iter_mut().zip(o.0) {
            *a |= b;
        }
        r
    }

    pub fn difference(&self, o: &PlaceSet) -> PlaceSet {
        let mut r = *self;
        for (a, b) in r.0.iter_mut().zip(o.0) {
            *a &= !b;
        }
        r
    }

    pub fn intersection(&self, o: &PlaceSet) -> PlaceSet {
        let mut r = *self;
        for (a, b) in r.0.iter_mut().zip(o.0) {
            *a &= b;
        }
        r
    }

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }

    pub fn len(&self) -> usize {
        self.0.iter().map(|w| w.count_ones() as usize).sum()
    }

    pub fn iter(&self) -> impl Iterator<Item = u16> + '_ {
        (0..Self::CAPACITY as u16).filter(|&i| self.contains(i))
    }
}

/// A growable set of small indices (list entries of one jurisdiction).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IndexSet(Vec<u64>);

impl IndexSet {
    pub fn with_capacity(n: usize) -> IndexSet {
        IndexSet(vec![0; n.div_ceil(64)])
    }

    pub fn insert(&mut self, i: usize) {
        let w = i / 64;
        if w >= self.0.len() {
            self.0.resize(w + 1, 0);
        }
        self.0[w] |= 1 << (i % 64);
    }

    pub fn contains(&self, i: usize) -> bool {
        self.0.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }
}
