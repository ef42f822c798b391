//! SEC004: an S3 bucket policy with an unconditional `Allow` for every principal.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::{Ctx, Resource};
use crate::support::iam::document_at;
use crate::support::s3_shield::{Shield, Shielding};

pub const RULE: Rule = Rule::new(
    "SEC004",
    Severity::High,
    "storage",
    "S3 bucket policy allows public access",
)
.help(include_str!("../../../../docs/rules/SEC004.md"));

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &[
        "aws_s3_bucket_policy",
        "aws_s3_bucket",
        "aws_s3_bucket_public_access_block",
        "aws_s3_account_public_access_block",
    ],
    run,
};

fn run(ctx: &Ctx, out: &mut Findings) {
    let shield = Shielding::collect(ctx, Shield::RestrictPublicBuckets);
    for rc in ctx.configured("aws_s3_bucket_policy") {
        if !shield.covers_bucket_of(ctx, &rc) {
            judge(ctx, &rc, out);
        }
    }
    for rc in ctx.configured("aws_s3_bucket") {
        if !shield.covers_bucket(&rc) {
            judge(ctx, &rc, out);
        }
    }
}

fn judge(ctx: &Ctx, rc: &Resource, out: &mut Findings) {
    match document_at(&rc.after(), "policy") {
        Known(policy) => {
            let actions = policy.public_actions();
            if !actions.is_empty() {
                out.report(
                    RULE.id,
                    rc,
                    "policy",
                    format!(
                        "policy allows anyone (`Principal: \"*\"`, no condition) to call `{}`",
                        actions.join("`, `")
                    ),
                );
            }
        }
        // `policy` on `aws_s3_bucket` is computed when unset; judge only a configured one.
        Unknown if rc.type_() == "aws_s3_bucket_policy" || ctx.configures(rc, "policy") => {
            out.indeterminate(RULE.id, rc, "policy");
        }
        _ => {}
    }
}
