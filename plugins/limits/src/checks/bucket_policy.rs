//! LIM006: the size of one S3 bucket policy.
//!
//! S3 refuses a bucket policy over 20 KB. The AWS provider sends the document
//! without the white space between JSON tokens, so that is what is measured.

use super::Context;
use crate::fields::planned;
use crate::measure::{compact_json_bytes, document_size};

pub const RULE: &str = "LIM006";

pub fn check(ctx: &mut Context) {
    let limit = ctx.settings.limits.max_bucket_policy_bytes;
    for (i, rc) in ctx.links.changes.iter().enumerate() {
        // The bucket's own `policy` argument is deprecated but still planned.
        if !matches!(rc.type_(), "aws_s3_bucket_policy" | "aws_s3_bucket")
            || !rc.creates_or_updates()
        {
            continue;
        }
        let [policy] = planned(rc, ["policy"]);
        let policy = policy.value;
        // The bucket computes `policy` when it is not set; a policy resource sets it then.
        if rc.type_() == "aws_s3_bucket"
            && policy.is_unknown()
            && !ctx.links.configures(i, "policy")
        {
            continue;
        }
        let Some(size) = document_size(policy, compact_json_bytes) else {
            continue;
        };
        ctx.judge(RULE, i, "policy", size, limit, |n, limit| {
            format!(
                "this bucket policy is {n} bytes without white space between tokens (limit {limit})"
            )
        });
    }
}
