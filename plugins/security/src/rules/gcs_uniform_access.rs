//! SEC006: a Cloud Storage bucket that keeps per-object ACLs instead of
//! uniform bucket-level access, so access cannot be read from IAM alone.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::Ctx;

pub const RULE: Rule = Rule::new(
    "SEC006",
    Severity::Low,
    "storage",
    "Cloud Storage bucket does not use uniform bucket-level access",
)
.help(include_str!("../../../../docs/rules/SEC006.md"));

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &["google_storage_bucket"],
    run,
};

fn run(ctx: &Ctx, out: &mut Findings) {
    for rc in ctx.configured("google_storage_bucket") {
        let after = rc.after();
        // Provider v3 called the same switch `bucket_policy_only`.
        if after.get("bucket_policy_only").bool() == Known(true) {
            continue;
        }
        match after.get("uniform_bucket_level_access").bool() {
            Known(false) => {
                out.report(
                    RULE.id,
                    &rc,
                    "uniform_bucket_level_access",
                    "object ACLs stay in force; access is not governed by IAM alone",
                )
                .fix("uniform_bucket_level_access", true);
            }
            Unknown if ctx.configures(&rc, "uniform_bucket_level_access") => {
                out.indeterminate(RULE.id, &rc, "uniform_bucket_level_access");
            }
            _ => {}
        }
    }
}
