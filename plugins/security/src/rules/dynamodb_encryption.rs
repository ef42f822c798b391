//! SEC024: a DynamoDB table encrypted only with an AWS-owned key. DynamoDB
//! always encrypts at rest; this rule is about who controls and audits the key.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::{Ctx, Resource};

pub const RULE: Rule = Rule::new(
    "SEC024",
    Severity::Low,
    "encryption",
    "DynamoDB table is not encrypted with a KMS key",
)
.help(include_str!("../../../../docs/rules/SEC024.md"));

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &["aws_dynamodb_table"],
    run,
};

fn run(ctx: &Ctx, out: &mut Findings) {
    for rc in ctx.configured("aws_dynamodb_table") {
        let path = "server_side_encryption.0.enabled";
        match rc.after().path(path).bool() {
            Known(true) => {}
            Unknown => {
                let finding = out.indeterminate(RULE.id, &rc, path);
                if !ctx.configures(&rc, "server_side_encryption") {
                    finding.message =
                        "`server_side_encryption` is not set; DynamoDB then uses an AWS-owned key"
                            .into();
                }
            }
            Known(false) | Absent => {
                report(&rc, out);
            }
        }
    }
}

fn report(rc: &Resource, out: &mut Findings) {
    out.report(
        RULE.id,
        rc,
        "server_side_encryption",
        "encrypted with an AWS-owned key that you cannot audit, rotate or restrict",
    )
    .fix("server_side_encryption.0.enabled", true);
}
