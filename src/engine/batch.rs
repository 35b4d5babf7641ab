//! Which jurisdictions a scenario is evaluated under.

use crate::engine::World;
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
}
