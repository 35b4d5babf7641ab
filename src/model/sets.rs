//! Fixed-size bitsets: destination sets are a handful of words, so membership is one load.

/// A set of places (indices into the places table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PlaceSet([u64; 5]);

impl PlaceSet {
    /// Largest number of places a set can hold.
    pub const CAPACITY: usize = 320;

    /// Adds place `i`.
    pub fn insert(&mut self, i: u16) {
        self.0[(i / 64) as usize] |= 1 << (i % 64);
    }

    /// Removes place `i`.
    pub fn remove(&mut self, i: u16) {
        self.0[(i / 64) as usize] &= !(1 << (i % 64));
    }

    /// Whether place `i` is in the set.
    #[inline]
    pub fn contains(&self, i: u16) -> bool {
        self.0[(i / 64) as usize] & (1 << (i % 64)) != 0
    }

    /// Places in either set.
    pub fn union(&self, o: &PlaceSet) -> PlaceSet {
        let mut r = *self;
        for (a, b) in r.0.iter_mut().zip(o.0) {
            *a |= b;
        }
        r
    }

    /// Places in `self` but not in `o`.
    pub fn difference(&self, o: &PlaceSet) -> PlaceSet {
        let mut r = *self;
        for (a, b) in r.0.iter_mut().zip(o.0) {
            *a &= !b;
        }
        r
    }

    /// Places in both sets.
    pub fn intersection(&self, o: &PlaceSet) -> PlaceSet {
        let mut r = *self;
        for (a, b) in r.0.iter_mut().zip(o.0) {
            *a &= b;
        }
        r
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }

    /// Number of places in the set.
    pub fn len(&self) -> usize {
        self.0.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// The places in ascending order.
    pub fn iter(&self) -> impl Iterator<Item = u16> + '_ {
        (0..Self::CAPACITY as u16).filter(|&i| self.contains(i))
    }
}

/// Whether a place is in a set whose membership may be only partly known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Member {
    /// Surely in the set.
    Yes,
    /// Not established (e.g. an undated group row before its table's version date).
    Maybe,
    /// Surely not in the set.
    No,
}

/// A set of places with three-valued membership: `sure` members, `maybe` members (not
/// established), and everything else surely outside. `sure` and `maybe` are disjoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct TriSet {
    /// Places surely in the set.
    pub sure: PlaceSet,
    /// Places whose membership is not established.
    pub maybe: PlaceSet,
}

impl TriSet {
    /// A set whose membership is fully known.
    pub fn known(sure: PlaceSet) -> TriSet {
        TriSet {
            sure,
            maybe: PlaceSet::default(),
        }
    }

    /// Membership of place `i`.
    #[inline]
    pub fn get(&self, i: u16) -> Member {
        if self.sure.contains(i) {
            Member::Yes
        } else if self.maybe.contains(i) {
            Member::Maybe
        } else {
            Member::No
        }
    }

    fn upper(&self) -> PlaceSet {
        self.sure.union(&self.maybe)
    }

    /// Union under three-valued logic.
    pub fn union(&self, o: &TriSet) -> TriSet {
        let sure = self.sure.union(&o.sure);
        TriSet {
            sure,
            maybe: self.upper().union(&o.upper()).difference(&sure),
        }
    }

    /// Difference under three-valued logic: surely in `self` and surely not in `o`.
    pub fn difference(&self, o: &TriSet) -> TriSet {
        let sure = self.sure.difference(&o.upper());
        TriSet {
            sure,
            maybe: self.upper().difference(&o.sure).difference(&sure),
        }
    }

    /// Intersection under three-valued logic.
    pub fn intersection(&self, o: &TriSet) -> TriSet {
        let sure = self.sure.intersection(&o.sure);
        TriSet {
            sure,
            maybe: self.upper().intersection(&o.upper()).difference(&sure),
        }
    }

    /// The same places, none of them established (a rule whose validity is unknown).
    pub fn uncertain(&self) -> TriSet {
        TriSet {
            sure: PlaceSet::default(),
            maybe: self.upper(),
        }
    }
}

/// A growable set of small indices (list entries of one jurisdiction).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IndexSet(Vec<u64>);

impl IndexSet {
    /// An empty set sized for indices below `n`.
    pub fn with_capacity(n: usize) -> IndexSet {
        IndexSet(vec![0; n.div_ceil(64)])
    }

    /// Adds index `i`.
    pub fn insert(&mut self, i: usize) {
        let w = i / 64;
        if w >= self.0.len() {
            self.0.resize(w + 1, 0);
        }
        self.0[w] |= 1 << (i % 64);
    }

    /// Whether index `i` is in the set.
    #[inline]
    pub fn contains(&self, i: usize) -> bool {
        self.0.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(ids: &[u16]) -> PlaceSet {
        let mut s = PlaceSet::default();
        for &i in ids {
            s.insert(i);
        }
        s
    }

    #[test]
    fn three_valued_algebra() {
        let a = TriSet {
            sure: set(&[1, 2]),
            maybe: set(&[3]),
        };
        let b = TriSet {
            sure: set(&[2]),
            maybe: set(&[1, 4]),
        };
        let d = a.difference(&b);
        assert_eq!(d.get(2), Member::No);
        assert_eq!(d.get(1), Member::Maybe);
        assert_eq!(d.get(3), Member::Maybe);
        let u = a.union(&b);
        assert_eq!(
            (u.get(1), u.get(4), u.get(5)),
            (Member::Yes, Member::Maybe, Member::No)
        );
        let i = a.intersection(&b);
        assert_eq!(
            (i.get(2), i.get(1), i.get(3)),
            (Member::Yes, Member::Maybe, Member::No)
        );
        assert_eq!(a.uncertain().get(1), Member::Maybe);
    }
}
