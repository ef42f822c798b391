//! The budget rules. Each is optional and off until its setting is given;
//! each has its own rule id, severity and documentation page.
//!
//! A verdict that depends on something unpriced (a type not supported yet, a
//! value known only after apply) is reported as indeterminate: an unpriced
//! resource never counts as $0, so it can neither pass nor fail a budget.

pub mod denied_sku;
pub mod increase_percent;
pub mod plan_increase;
pub mod resource_monthly;

use crate::costing::ResourceCost;
use crate::money::usd;

/// The plan's known monthly totals and whether unpriced parts could move them.
pub struct Totals<'c, 'a> {
    pub before: f64,
    pub after: f64,
    /// Resources with a price missing before the change: the true before total
    /// (and so the increase) may differ.
    pub open_before: Vec<&'c ResourceCost<'a>>,
    /// Resources with a price missing after the change.
    pub open_after: Vec<&'c ResourceCost<'a>>,
}

impl<'c, 'a> Totals<'c, 'a> {
    pub fn of(costs: &'c [ResourceCost<'a>]) -> Self {
        let mut totals = Totals {
            before: 0.0,
            after: 0.0,
            open_before: Vec::new(),
            open_after: Vec::new(),
        };
        for cost in costs {
            totals.before += cost.before.known_monthly();
            totals.after += cost.after.known_monthly();
            if !cost.before.is_complete() {
                totals.open_before.push(cost);
            }
            if !cost.after.is_complete() {
                totals.open_after.push(cost);
            }
        }
        totals
    }

    pub fn delta(&self) -> f64 {
        self.after - self.before
    }

    /// The increase in percent of the current cost; `None` without a current cost.
    pub fn percent(&self) -> Option<f64> {
        (self.before > 0.0).then(|| self.delta() / self.before * 100.0)
    }

    /// Names the unpriced resources that keep a verdict open, briefly.
    pub fn open_summary(&self) -> String {
        let mut addresses: Vec<&str> = self
            .open_before
            .iter()
            .chain(&self.open_after)
            .map(|c| c.rc.address())
            .collect();
        addresses.sort_unstable();
        addresses.dedup();
        let shown: Vec<String> = addresses.iter().take(3).map(|a| format!("`{a}`")).collect();
        let more = addresses.len().saturating_sub(shown.len());
        let tail = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        format!(
            "{} resource(s) could not be priced ({}{tail})",
            addresses.len(),
            shown.join(", ")
        )
    }

    pub fn describe(&self) -> String {
        format!("from {} to {} a month", usd(self.before), usd(self.after))
    }
}

/// The outcome of comparing a known amount with a limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    Fail,
    /// The unpriced parts could put the true amount on either side.
    Open,
}

/// Judges `known` against `limit` when the true amount may be higher than
/// known (`may_rise`) or lower (`may_fall`).
pub fn judge(known: f64, limit: f64, may_rise: bool, may_fall: bool) -> Verdict {
    // Cents: prices are rounded to them, and a budget is met at equality.
    let over = known - limit > 0.005;
    match (over, may_rise, may_fall) {
        (true, _, false) => Verdict::Fail,
        (false, false, _) => Verdict::Pass,
        _ => Verdict::Open,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unpriced_parts_keep_only_reachable_verdicts_open() {
        assert_eq!(judge(150.0, 100.0, false, false), Verdict::Fail);
        assert_eq!(judge(150.0, 100.0, true, false), Verdict::Fail);
        assert_eq!(judge(150.0, 100.0, false, true), Verdict::Open);
        assert_eq!(judge(50.0, 100.0, false, true), Verdict::Pass);
        assert_eq!(judge(50.0, 100.0, true, false), Verdict::Open);
        assert_eq!(judge(100.0, 100.0, false, false), Verdict::Pass);
    }
}
