//! SEC063: a GCP subnetwork without VPC flow logs.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::Ctx;

pub const RULE: Rule = Rule::new(
    "SEC063",
    Severity::Low,
    "logging",
    "GCP subnetwork has no flow logs",
)
.help(include_str!("../../../../docs/rules/SEC063.md"));

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &["google_compute_subnetwork"],
    run,
};

/// Subnet purposes that carry VM traffic; proxy-only and NAT subnets cannot log flows.
const VM_PURPOSES: [&str; 2] = ["PRIVATE", "PRIVATE_RFC_1918"];

fn run(ctx: &Ctx, out: &mut Findings) {
    for rc in ctx.configured("google_compute_subnetwork") {
        let after = rc.after();
        match after.get("purpose").str() {
            Known(purpose) if !VM_PURPOSES.contains(&purpose.as_ref()) => continue,
            _ => {}
        }
        // Provider v3 had a plain switch, `enable_flow_logs`.
        if after.get("enable_flow_logs").bool() == Known(true) {
            continue;
        }
        match after.get("log_config").items() {
            Known(configs) if !configs.is_empty() => {}
            Unknown => {
                out.indeterminate(RULE.id, &rc, "log_config");
            }
            _ => {
                out.report(
                    RULE.id,
                    &rc,
                    "log_config",
                    "no `log_config`: traffic in this subnetwork is not recorded",
                );
            }
        }
    }
}
