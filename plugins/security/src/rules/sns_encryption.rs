//! SEC025: an SNS topic without server-side encryption.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::Ctx;

pub const RULE: Rule = Rule::new(
    "SEC025",
    Severity::Low,
    "encryption",
    "SNS topic is not encrypted",
)
.help(include_str!("../../../../docs/rules/SEC025.md"));

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &["aws_sns_topic"],
    run,
};

fn run(ctx: &Ctx, out: &mut Findings) {
    for rc in ctx.configured("aws_sns_topic") {
        // An unknown key id is a key being created in this plan: encryption is on.
        if matches!(rc.after().get("kms_master_key_id").str(), Known(ref id) if id.is_empty())
            || rc.after().get("kms_master_key_id").is_absent()
        {
            out.report(
                RULE.id,
                &rc,
                "kms_master_key_id",
                "messages are stored without server-side encryption",
            )
            .fix("kms_master_key_id", "alias/aws/sns");
        }
    }
}
