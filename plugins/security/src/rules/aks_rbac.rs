//! SEC095: an AKS cluster with Kubernetes RBAC turned off.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::Ctx;

pub const RULE: Rule = Rule::new(
    "SEC095",
    Severity::High,
    "compute",
    "AKS cluster has RBAC disabled",
)
.help(include_str!("../../../../docs/rules/SEC095.md"));

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &["azurerm_kubernetes_cluster"],
    run,
};

fn run(ctx: &Ctx, out: &mut Findings) {
    for rc in ctx.configured("azurerm_kubernetes_cluster") {
        let after = rc.after();
        // azurerm v3 and later: a top-level switch; v2: a `role_based_access_control` block.
        let path = if after.has("role_based_access_control_enabled") {
            "role_based_access_control_enabled"
        } else {
            "role_based_access_control.0.enabled"
        };
        match after.path(path).bool() {
            Known(false) => {
                out.report(
                    RULE.id,
                    &rc,
                    path,
                    "without RBAC every authenticated identity has full control of the cluster",
                )
                .fix(path, true);
            }
            Unknown => {
                out.indeterminate(RULE.id, &rc, path);
            }
            _ => {}
        }
    }
}
