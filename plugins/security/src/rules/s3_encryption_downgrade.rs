//! SEC022: S3 default encryption moved from a KMS key back to S3-managed keys.
//! S3 has encrypted every new object since January 2023, so a missing
//! configuration is not a gap; losing a customer-controlled key is.

use std::collections::HashSet;

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::{Ctx, Resource};
use crate::support::values::blocks;

pub const RULE: Rule = Rule::new(
    "SEC022",
    Severity::Low,
    "encryption",
    "S3 default encryption is downgraded from KMS",
)
.help(include_str!("../../../../docs/rules/SEC022.md"));

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &[
        "aws_s3_bucket_server_side_encryption_configuration",
        "aws_s3_bucket",
    ],
    run,
};

const INLINE: &str = "server_side_encryption_configuration.0.";

fn run(ctx: &Ctx, out: &mut Findings) {
    for rc in ctx.configured("aws_s3_bucket_server_side_encryption_configuration") {
        judge_update(&rc, "", out);
    }
    for rc in ctx.configured("aws_s3_bucket") {
        judge_update(&rc, INLINE, out);
    }
    judge_removals(ctx, out);
}

/// The `sse_algorithm` of every rule of the configuration under `prefix`.
fn algorithms(config: &Value, prefix: &str) -> Vec<String> {
    blocks(&config.path(&format!("{prefix}rule")))
        .iter()
        .filter_map(|rule| {
            rule.path("apply_server_side_encryption_by_default.0.sse_algorithm")
                .str()
                .known()
        })
        .map(|a| a.into_owned())
        .collect()
}

fn uses_kms(algorithms: &[String]) -> bool {
    algorithms.iter().any(|a| a.starts_with("aws:kms"))
}

fn judge_update(rc: &Resource, prefix: &str, out: &mut Findings) {
    let before = algorithms(&rc.before(), prefix);
    let after = algorithms(&rc.after(), prefix);
    if uses_kms(&before) && !after.is_empty() && !uses_kms(&after) {
        let path =
            format!("{prefix}rule.0.apply_server_side_encryption_by_default.0.sse_algorithm");
        out.report(
            RULE.id,
            rc,
            &path,
            format!(
                "default encryption changes from `{}` to `{}`",
                before.join(", "),
                after.join(", ")
            ),
        );
    }
}

/// A KMS configuration deleted while its bucket stays, with nothing replacing it.
fn judge_removals(ctx: &Ctx, out: &mut Findings) {
    let kind = "aws_s3_bucket_server_side_encryption_configuration";
    let mut removed = ctx
        .all(kind)
        .iter()
        .filter(|rc| rc.is_delete() && rc.is_managed())
        .peekable();
    if removed.peek().is_none() {
        return;
    }
    // Buckets that keep a configuration, and whether some configuration's bucket is unknown (it may be any).
    let mut kept = HashSet::new();
    let mut kept_unknown = false;
    for other in ctx.remaining(kind) {
        match other.after().get("bucket").str() {
            Known(bucket) => {
                kept.insert(bucket.into_owned());
            }
            Unknown => kept_unknown = true,
            Absent => {}
        }
    }
    let deleted_buckets: HashSet<String> = ctx
        .all("aws_s3_bucket")
        .iter()
        .filter(|b| b.is_delete())
        .filter_map(|b| {
            b.before()
                .get("bucket")
                .str()
                .known()
                .map(|n| n.into_owned())
        })
        .collect();
    for rc in removed {
        let before = rc.before();
        let Known(bucket) = before.get("bucket").str() else {
            continue;
        };
        if !uses_kms(&algorithms(&before, "")) || kept_unknown {
            continue;
        }
        if !kept.contains(bucket.as_ref()) && !deleted_buckets.contains(bucket.as_ref()) {
            out.report(
                RULE.id,
                rc,
                "",
                format!(
                    "removing this configuration puts bucket `{bucket}` back on S3-managed keys"
                ),
            );
        }
    }
}
