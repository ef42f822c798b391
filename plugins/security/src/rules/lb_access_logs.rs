//! SEC064: Application and Classic Load Balancers without access logs.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::{Ctx, Resource};

pub const RULE: Rule = Rule::new(
    "SEC064",
    Severity::Medium,
    "logging",
    "load balancer access logs are off",
)
.help(include_str!("../../../../docs/rules/SEC064.md"));

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &["aws_lb", "aws_alb", "aws_elb"],
    run,
};

fn run(ctx: &Ctx, out: &mut Findings) {
    for rc in ctx.configured("aws_lb").chain(ctx.configured("aws_alb")) {
        // Network and gateway load balancers log only TLS traffic or nothing at all.
        match rc.after().get("load_balancer_type").str() {
            Known(kind) if kind != "application" => continue,
            Unknown => continue,
            _ => {}
        }
        judge(&rc, false, out);
    }
    for rc in ctx.configured("aws_elb") {
        judge(&rc, true, out);
    }
}

/// `enabled_by_default`: a Classic Load Balancer's `access_logs` block is on unless it says otherwise.
fn judge(rc: &Resource, enabled_by_default: bool, out: &mut Findings) {
    let logs = rc.after().path("access_logs.0");
    let path = "access_logs.0.enabled";
    let enabled = match logs.get("enabled").bool() {
        Absent if logs.is_known() => Known(enabled_by_default),
        other => other,
    };
    match enabled {
        Known(true) => {}
        Known(false) | Absent => {
            out.report(
                RULE.id,
                rc,
                path,
                "requests through this load balancer are not logged",
            );
        }
        Unknown => {
            out.indeterminate(RULE.id, rc, path);
        }
    }
}
