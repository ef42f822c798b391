//! LIM009: how many resources one plan deletes or replaces.
//!
//! Each is fine on its own; many in one apply is a large blast radius that
//! deserves a second look, and often a split into smaller applies.

use std::collections::BTreeMap;

use tfwarden_sdk::prelude::*;

use super::{Context, top_types};
use crate::tally::Tally;

pub const RULE: &str = "LIM009";

pub fn check(ctx: &mut Context) {
    let (mut deletes, mut replaces) = (0u64, 0u64);
    let mut by_type: BTreeMap<&str, u64> = BTreeMap::new();
    for rc in ctx.links.changes.iter().filter(|rc| rc.destroys()) {
        if rc.kind() == ChangeKind::Delete {
            deletes += 1;
        } else {
            replaces += 1;
        }
        *by_type.entry(rc.type_()).or_default() += 1;
    }
    let total = deletes + replaces;
    let limit = ctx.settings.limits.max_destroys;
    ctx.largest.record(RULE, "", Tally::known(total), limit);
    ctx.out.metric("deletes", deletes as f64);
    ctx.out.metric("replaces", replaces as f64);
    if total <= limit {
        return;
    }
    ctx.out.report_plan(
        RULE,
        format!(
            "this plan deletes {deletes} and replaces {replaces} resources, {total} in all (threshold {limit}); most affected: {}",
            top_types(&by_type)
        ),
    );
}
