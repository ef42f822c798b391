//! LIM011: how many monitoring alerts one plan creates.
//!
//! Alerts evaluate as soon as they exist. Many at once can page an on-call
//! team with a storm of new, untuned alerts, and run into provider API rate
//! limits in the middle of the apply.

use std::collections::BTreeMap;

use tfwarden_sdk::prelude::*;

use super::{Context, top_types};
use crate::tally::Tally;

pub const RULE: &str = "LIM011";

pub fn check(ctx: &mut Context) {
    let mut by_type: BTreeMap<&str, u64> = BTreeMap::new();
    for rc in &ctx.links.changes {
        if rc.is_managed()
            && rc.kind() == ChangeKind::Create
            && ctx.settings.alert_types.contains(rc.type_())
        {
            *by_type.entry(rc.type_()).or_default() += 1;
        }
    }
    let created: u64 = by_type.values().sum();
    let limit = ctx.settings.limits.max_created_alerts;
    ctx.out.metric("alerts_created", created as f64);
    if created == 0 {
        return;
    }
    ctx.largest.record(RULE, "", Tally::known(created), limit);
    if created > limit {
        ctx.out.report_plan(
            RULE,
            format!(
                "this plan creates {created} monitoring alerts (threshold {limit}): {}",
                top_types(&by_type)
            ),
        );
    }
}
