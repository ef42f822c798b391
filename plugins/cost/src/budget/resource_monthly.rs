//! COST003: a resource created or changed by the plan costs more per month
//! than `max_resource_monthly`.

use tfwarden_sdk::prelude::*;

use super::{Verdict, judge};
use crate::costing::{Coverage, ResourceCost};
use crate::estimate::Estimate;
use crate::money::usd;
use crate::resources;

pub const ID: &str = "COST003";
pub const RULE: Rule = Rule::new(
    ID,
    Severity::High,
    "cost",
    "resource costs more per month than allowed",
)
.help(include_str!("../../../../docs/rules/COST003.md"));

pub fn check(limit: Option<f64>, costs: &[ResourceCost], out: &mut Findings) {
    let Some(limit) = limit else { return };
    for cost in costs
        .iter()
        .filter(|c| c.rc.creates_or_updates() && c.coverage != Coverage::UsageOnly)
    {
        let known = cost.after.known_monthly();
        let missing = cost.after.missing();
        let anchor = resources::pricer(cost.rc.type_())
            .and_then(|p| p.sku_paths.first())
            .filter(|p| !p.contains('*'))
            .copied()
            .unwrap_or("");
        match judge(known, limit, !missing.is_empty(), false) {
            Verdict::Pass => {}
            Verdict::Fail => {
                let message = format!(
                    "costs {} a month{}, over the `max_resource_monthly` limit of {}",
                    usd(known),
                    if missing.is_empty() { "" } else { " or more" },
                    usd(limit)
                );
                out.report(ID, &cost.rc, anchor, message);
            }
            Verdict::Open => {
                let (part, reason) = missing[0];
                let path = if reason.path().is_empty() {
                    anchor
                } else {
                    reason.path()
                };
                let what = match (&cost.after, part) {
                    (Estimate::Unpriced(_), _) | (_, "") => "it".to_string(),
                    (_, part) => format!("its {part}"),
                };
                let message = format!(
                    "costs {} a month as far as it can be priced, but {what} could not be priced ({reason}), \
                     so the `max_resource_monthly` limit of {} cannot be checked",
                    usd(known),
                    usd(limit)
                );
                out.indeterminate(ID, &cost.rc, path).message(message);
            }
        }
    }
}
