//! SEC003: a new S3 bucket that no public access block in the plan protects.
//! Low severity: AWS has blocked public access on new buckets by default since
//! April 2023, and an account-wide block may live in another state.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::{Ctx, is_new};
use crate::support::attachments::{Attached, Attachments};

pub const RULE: Rule = Rule::new(
    "SEC003",
    Severity::Low,
    "storage",
    "S3 bucket has no public access block in this plan",
)
.help(include_str!("../../../../docs/rules/SEC003.md"));

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &[
        "aws_s3_bucket",
        "aws_s3_bucket_public_access_block",
        "aws_s3_account_public_access_block",
    ],
    run,
};

fn run(ctx: &Ctx, out: &mut Findings) {
    let mut new_buckets = ctx
        .configured("aws_s3_bucket")
        .filter(|rc| is_new(rc))
        .peekable();
    if new_buckets.peek().is_none()
        || ctx
            .remaining("aws_s3_account_public_access_block")
            .next()
            .is_some()
    {
        return;
    }
    let blocks = Attachments::collect(
        ctx.refs(),
        ctx.remaining("aws_s3_bucket_public_access_block"),
        "bucket",
        "aws_s3_bucket",
    );
    for rc in new_buckets {
        match blocks.of(&rc, &rc.after().get("bucket").str()) {
            Attached::Yes => {}
            Attached::No => {
                out.report(
                    RULE.id,
                    &rc,
                    "",
                    "no `aws_s3_bucket_public_access_block` in this plan refers to this bucket; add one so the bucket stays private whatever its ACLs and policy say",
                );
            }
            Attached::Unseen => {
                out.indeterminate(RULE.id, &rc, "").message =
                    "a public access block in this plan points at a bucket that cannot be identified before apply; it may be this one".into();
            }
        }
    }
}
