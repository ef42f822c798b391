//! SEC062: a new VPC that no flow log in the plan records.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::{Ctx, is_new};
use crate::support::attachments::{Attached, Attachments};

pub const RULE: Rule = Rule::new("SEC062", Severity::Medium, "logging", "VPC has no flow log")
    .help(include_str!("../../../../docs/rules/SEC062.md"));

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &["aws_vpc", "aws_flow_log"],
    run,
};

fn run(ctx: &Ctx, out: &mut Findings) {
    let mut new_vpcs = ctx.configured("aws_vpc").filter(|rc| is_new(rc)).peekable();
    if new_vpcs.peek().is_none() {
        return;
    }
    let flow_logs = Attachments::collect(
        ctx.refs(),
        ctx.remaining("aws_flow_log"),
        "vpc_id",
        "aws_vpc",
    );
    for rc in new_vpcs {
        match flow_logs.of(&rc, &rc.after().get("id").str()) {
            Attached::Yes => {}
            Attached::No => {
                out.report(
                    RULE.id,
                    &rc,
                    "",
                    "no `aws_flow_log` in this plan records this VPC's traffic",
                );
            }
            Attached::Unseen => {
                out.indeterminate(RULE.id, &rc, "").message =
                    "a flow log in this plan points at a VPC that cannot be identified before apply; it may be this one".into();
            }
        }
    }
}
