//! LIM010: a delete or replace of a resource that holds data.
//!
//! Replacing a database, bucket, volume, file system, key or DNS zone destroys
//! what is in it, whatever the plan's other counts say, so each one is
//! reported on its own for a reviewer to confirm.

use tfwarden_sdk::prelude::*;

use super::Context;

pub const RULE: &str = "LIM010";

pub fn check(ctx: &mut Context) {
    let mut count = 0u64;
    for rc in &ctx.links.changes {
        if !rc.destroys() || !ctx.settings.stateful_types.contains(rc.type_()) {
            continue;
        }
        count += 1;
        let what = match rc.kind() {
            ChangeKind::Delete => "deleted",
            ChangeKind::ReplaceCreateFirst => "replaced (the new one is created first)",
            _ => "replaced",
        };
        let reason = rc.action_reason().map(explain).unwrap_or_default();
        let message = format!(
            "this {} will be {what}{reason}; what it stores is lost unless it is backed up or moved first. \
             If this is not intended, use a `moved` block, `terraform state mv`, or `lifecycle {{ prevent_destroy = true }}`",
            rc.type_()
        );
        ctx.out.report(RULE, rc, "", message);
    }
    ctx.out.metric("stateful_destroys", count as f64);
}

/// Terraform's `action_reason`, in words.
fn explain(reason: &str) -> String {
    let words = match reason {
        "replace_because_cannot_update" => "a changed argument cannot be updated in place",
        "replace_because_tainted" => "it is tainted",
        "replace_by_request" => "replacement was requested with `-replace`",
        "replace_by_triggers" => "a `replace_triggered_by` reference changed",
        "delete_because_no_resource_config" => "its block is no longer in the configuration",
        "delete_because_no_module" => "its module is no longer in the configuration",
        "delete_because_wrong_repetition" => "its block switched between `count` and `for_each`",
        "delete_because_count_index" => "its `count` index is no longer in range",
        "delete_because_each_key" => "its `for_each` key is gone",
        "delete_because_no_move_target" => "a `moved` block points at nothing",
        other => return format!(" (`action_reason`: `{other}`)"),
    };
    format!(" because {words} (`action_reason`: `{reason}`)")
}
