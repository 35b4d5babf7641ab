//! Many scenarios × many jurisdictions, in parallel, in a deterministic order.

use rayon::prelude::*;

use crate::engine::{Determination, World};
use crate::model::Scenario;

impl World {
    /// The jurisdictions a scenario is evaluated under: its exporter, or the selection.
    pub fn targets<'a>(
        &self,
        s: &Scenario,
        selection: &'a [usize],
    ) -> std::borrow::Cow<'a, [usize]> {
        match s.exporter {
            Some(j) => std::borrow::Cow::Owned(vec![j]),
            None => std::borrow::Cow::Borrowed(selection),
        }
    }

    /// Every (scenario, jurisdiction) determination, in scenario order then selection order,
    /// whatever the number of threads.
    pub fn evaluate_all(
        &self,
        scenarios: &[Scenario],
        selection: &[usize],
    ) -> Vec<(usize, Determination)> {
        scenarios
            .par_iter()
            .enumerate()
            .with_min_len(64)
            .map(|(i, s)| {
                self.targets(s, selection)
                    .iter()
                    .map(|&j| (i, self.evaluate(j, s)))
                    .collect::<Vec<_>>()
            })
            .collect::<Vec<_>>()
            .into_iter()
            .flatten()
            .collect()
    }
}
