//! COST002: the plan raises the monthly bill by more than `max_increase_percent`
//! of what the resources in the plan cost now.

use tfwarden_sdk::prelude::*;

use super::{Totals, Verdict, judge};
use crate::money::usd;

pub const ID: &str = "COST002";
pub const RULE: Rule = Rule::new(
    ID,
    Severity::Medium,
    "cost",
    "plan raises the monthly cost by too large a share",
)
.help(include_str!("../../../../docs/rules/COST002.md"));

pub fn check(limit: Option<f64>, totals: &Totals, out: &mut Findings) {
    let Some(limit) = limit else { return };
    let may_rise = !totals.open_after.is_empty();
    let may_fall = !totals.open_before.is_empty();
    let Some(percent) = totals.percent() else {
        // Nothing priced costs anything yet, so there is no base to take a
        // share of; COST001 budgets absolute amounts. An unpriced current
        // resource could still be that base.
        if may_fall && totals.delta() > 0.0 {
            let message = format!(
                "the plan's current monthly cost is unknown because {}, so the `max_increase_percent` \
                 budget of {limit}% cannot be checked",
                totals.open_summary()
            );
            out.report_plan(ID, message).indeterminate = true;
        }
        return;
    };
    match judge(percent, limit, may_rise, may_fall) {
        Verdict::Pass => {}
        Verdict::Fail => {
            let message = format!(
                "this plan raises the monthly cost by {percent:.1}% ({}, {}), over the `max_increase_percent` budget of {limit}%",
                usd(totals.delta()),
                totals.describe()
            );
            out.report_plan(ID, message);
        }
        Verdict::Open => {
            let message = format!(
                "this plan raises the monthly cost by {percent:.1}% as far as it can be priced, but {}, \
                 so the `max_increase_percent` budget of {limit}% cannot be checked",
                totals.open_summary()
            );
            out.report_plan(ID, message).indeterminate = true;
        }
    }
}
