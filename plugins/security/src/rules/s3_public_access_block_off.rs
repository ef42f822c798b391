//! SEC002: a bucket or account public access block that leaves one of its
//! four protections off, which is how buckets are deliberately opened.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::Ctx;

pub const RULE: Rule = Rule::new(
    "SEC002",
    Severity::Medium,
    "storage",
    "S3 public access block is turned off",
)
.help(include_str!("../../../../docs/rules/SEC002.md"));

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &[
        "aws_s3_bucket_public_access_block",
        "aws_s3_account_public_access_block",
    ],
    run,
};

const PROTECTIONS: [&str; 4] = [
    "block_public_acls",
    "block_public_policy",
    "ignore_public_acls",
    "restrict_public_buckets",
];

fn run(ctx: &Ctx, out: &mut Findings) {
    let blocks = ctx
        .configured("aws_s3_bucket_public_access_block")
        .chain(ctx.configured("aws_s3_account_public_access_block"));
    for rc in blocks {
        let after = rc.after();
        let mut off = Vec::new();
        let mut unknown = None;
        for name in PROTECTIONS {
            match after.get(name).bool() {
                Known(true) => {}
                // The provider defaults each protection to false when unset.
                Known(false) | Absent => off.push(name),
                Unknown => unknown = unknown.or(Some(name)),
            }
        }
        if let Some(&first) = off.first() {
            let scope = if rc.type_() == "aws_s3_account_public_access_block" {
                "every bucket in the account"
            } else {
                "this bucket"
            };
            out.report(
                RULE.id,
                &rc,
                first,
                format!("`{}` off: {scope} can be made public", off.join("`, `")),
            )
            .fix(first, true);
        } else if let Some(name) = unknown {
            out.indeterminate(RULE.id, &rc, name);
        }
    }
}
