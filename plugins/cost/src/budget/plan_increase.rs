//! COST001: the plan raises the monthly bill by more than `max_monthly_increase`.

use tfwarden_sdk::prelude::*;

use super::{Totals, Verdict, judge};
use crate::money::usd;

pub const ID: &str = "COST001";
pub const RULE: Rule = Rule::new(
    ID,
    Severity::High,
    "cost",
    "plan raises the monthly cost above the budget",
)
.help(include_str!("../../../../docs/rules/COST001.md"));

pub fn check(limit: Option<f64>, totals: &Totals, out: &mut Findings) {
    let Some(limit) = limit else { return };
    let delta = totals.delta();
    let may_rise = !totals.open_after.is_empty();
    let may_fall = !totals.open_before.is_empty();
    match judge(delta, limit, may_rise, may_fall) {
        Verdict::Pass => {}
        Verdict::Fail => {
            let message = format!(
                "this plan adds {} a month ({}), over the `max_monthly_increase` budget of {}",
                usd(delta),
                totals.describe(),
                usd(limit)
            );
            out.report_plan(ID, message);
        }
        Verdict::Open => {
            let message = format!(
                "this plan adds {} a month as far as it can be priced, but {}, so the `max_monthly_increase` \
                 budget of {} cannot be checked; price them with `usage` settings or review them by hand",
                usd(delta),
                totals.open_summary(),
                usd(limit)
            );
            out.report_plan(ID, message).indeterminate = true;
        }
    }
}
