//! SEC092: a GKE cluster with legacy attribute-based access control.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::Ctx;

pub const RULE: Rule = Rule::new(
    "SEC092",
    Severity::High,
    "compute",
    "GKE legacy ABAC is enabled",
)
.help(include_str!("../../../../docs/rules/SEC092.md"));

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &["google_container_cluster"],
    run,
};

fn run(ctx: &Ctx, out: &mut Findings) {
    for rc in ctx.configured("google_container_cluster") {
        match rc.after().get("enable_legacy_abac").bool() {
            Known(true) => {
                out.report(
                    RULE.id,
                    &rc,
                    "enable_legacy_abac",
                    "legacy ABAC grants broad, static permissions that bypass Kubernetes RBAC",
                )
                .fix("enable_legacy_abac", false);
            }
            Unknown => {
                out.indeterminate(RULE.id, &rc, "enable_legacy_abac");
            }
            _ => {}
        }
    }
}
