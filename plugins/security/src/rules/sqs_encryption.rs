//! SEC026: an SQS queue whose server-side encryption is explicitly turned off.
//! New queues get SQS-managed encryption by default since October 2022, so
//! only an explicit `false` without a KMS key leaves messages unencrypted.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::Ctx;

pub const RULE: Rule = Rule::new(
    "SEC026",
    Severity::Medium,
    "encryption",
    "SQS queue encryption is turned off",
)
.help(include_str!("../../../../docs/rules/SEC026.md"));

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &["aws_sqs_queue"],
    run,
};

fn run(ctx: &Ctx, out: &mut Findings) {
    for rc in ctx.configured("aws_sqs_queue") {
        let after = rc.after();
        if ctx.sets(&rc, "kms_master_key_id") {
            continue;
        }
        match after.get("sqs_managed_sse_enabled").bool() {
            Known(false) => {
                out.report(RULE.id, &rc, "sqs_managed_sse_enabled", "`sqs_managed_sse_enabled = false` and no KMS key: messages are stored unencrypted")
                    .fix("sqs_managed_sse_enabled", true);
            }
            Unknown if ctx.configures(&rc, "sqs_managed_sse_enabled") => {
                out.indeterminate(RULE.id, &rc, "sqs_managed_sse_enabled");
            }
            _ => {}
        }
    }
}
