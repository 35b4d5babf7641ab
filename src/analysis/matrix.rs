//! The Cartesian product of items × destinations × end users × end uses × jurisdictions, in
//! that order, computed chunk by chunk so that memory does not grow with the number of rows.

use rayon::prelude::*;

use crate::data::places::PlaceId;
use crate::engine::bulk::Bulk;

/// Which values each dimension takes (indices: catalogue items are `Bulk::items` positions,
/// end users and end uses are `EndUser::VALUES` / `EndUse::VALUES` positions).
#[derive(Debug, Clone)]
pub struct MatrixSpec {
    /// Destinations.
    pub destinations: Vec<PlaceId>,
    /// End users (`EndUser::VALUES` positions).
    pub end_users: Vec<usize>,
    /// End uses (`EndUse::VALUES` positions).
    pub end_uses: Vec<usize>,
    /// Jurisdictions (indices).
    pub jurisdictions: Vec<usize>,
}

/// One row of the matrix, as indices plus the determination id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    /// Item position in the bulk tables.
    pub item: usize,
    /// Destination.
    pub dest: PlaceId,
    /// End user position.
    pub user: usize,
    /// End use position.
    pub usage: usize,
    /// Jurisdiction index.
    pub jurisdiction: usize,
    /// Determination id.
    pub det: u32,
}

impl MatrixSpec {
    /// Number of rows for `items` items.
    pub fn rows(&self, items: usize) -> u64 {
        items as u64
            * self.destinations.len() as u64
            * self.end_users.len() as u64
            * self.end_uses.len() as u64
            * self.jurisdictions.len() as u64
    }

    /// Decodes row `n` (scenario order, then jurisdiction order).
    #[inline]
    pub fn cell(&self, bulk: &Bulk<'_>, n: u64) -> Cell {
        let nj = self.jurisdictions.len() as u64;
        let ne = self.end_uses.len() as u64;
        let nu = self.end_users.len() as u64;
        let nd = self.destinations.len() as u64;
        let j = (n % nj) as usize;
        let rest = n / nj;
        let e = (rest % ne) as usize;
        let rest = rest / ne;
        let u = (rest % nu) as usize;
        let rest = rest / nu;
        let d = (rest % nd) as usize;
        let i = (rest / nd) as usize;
        let jurisdiction = self.jurisdictions[j];
        let dest = self.destinations[d];
        let user = self.end_users[u];
        let usage = self.end_uses[e];
        Cell {
            item: i,
            dest,
            user,
            usage,
            jurisdiction,
            det: bulk.get(jurisdiction, i, dest, user, usage),
        }
    }

    /// Rows `[start, end)`, computed in parallel, in order.
    pub fn chunk(&self, bulk: &Bulk<'_>, start: u64, end: u64) -> Vec<Cell> {
        (start as usize..end as usize)
            .into_par_iter()
            .with_min_len(4096)
            .map(|n| self.cell(bulk, n as u64))
            .collect()
    }

    /// Determination ids only, for engine benchmarks and aggregation: `out[n - start]`.
    pub fn dets(&self, bulk: &Bulk<'_>, start: u64, end: u64, out: &mut Vec<u32>) {
        out.clear();
        out.par_extend(
            (start as usize..end as usize)
                .into_par_iter()
                .with_min_len(1 << 14)
                .map(|n| self.cell(bulk, n as u64).det),
        );
    }
}
