//! SEC001: an S3 ACL that grants access to everyone, inline on the bucket
//! (provider v3) or through `aws_s3_bucket_acl` (v4 and later).

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::{Ctx, Resource};
use crate::support::s3_shield::{Shield, Shielding};
use crate::support::values::blocks;

pub const RULE: Rule = Rule::new(
    "SEC001",
    Severity::High,
    "storage",
    "S3 bucket ACL grants public access",
)
.help(include_str!("../../../../docs/rules/SEC001.md"));

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &[
        "aws_s3_bucket",
        "aws_s3_bucket_acl",
        "aws_s3_bucket_public_access_block",
        "aws_s3_account_public_access_block",
    ],
    run,
};

const ALL_USERS: &str = "http://acs.amazonaws.com/groups/global/AllUsers";
const AUTHENTICATED_USERS: &str = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";

fn run(ctx: &Ctx, out: &mut Findings) {
    let shield = Shielding::collect(ctx, Shield::IgnorePublicAcls);
    for rc in ctx.configured("aws_s3_bucket") {
        if shield.covers_bucket(&rc) {
            continue;
        }
        let after = rc.after();
        check_canned(ctx, &rc, &after, out);
        for (i, grant) in blocks(&after.get("grant")).iter().enumerate() {
            check_grantee(&rc, &grant.get("uri"), &format!("grant.{i}.uri"), out);
        }
    }
    for rc in ctx.configured("aws_s3_bucket_acl") {
        if shield.covers_bucket_of(ctx, &rc) {
            continue;
        }
        let after = rc.after();
        check_canned(ctx, &rc, &after, out);
        let grants = blocks(&after.path("access_control_policy.0.grant"));
        for (i, grant) in grants.iter().enumerate() {
            let path = format!("access_control_policy.0.grant.{i}.grantee.0.uri");
            check_grantee(&rc, &grant.path("grantee.0.uri"), &path, out);
        }
    }
}

fn check_canned(ctx: &Ctx, rc: &Resource, after: &Value, out: &mut Findings) {
    match after.get("acl").str() {
        Known(acl) => {
            let severity = match acl.as_ref() {
                "public-read-write" => Severity::Critical,
                "public-read" | "authenticated-read" => Severity::High,
                _ => return,
            };
            let who = match acl.as_ref() {
                "authenticated-read" => "any AWS account read",
                "public-read-write" => "anyone on the internet read and write",
                _ => "anyone on the internet read",
            };
            out.report(
                RULE.id,
                rc,
                "acl",
                format!("canned ACL `{acl}` lets {who} this bucket's objects"),
            )
            .severity(severity)
            .fix("acl", "private");
        }
        // An unset `acl` is computed by the provider; only a configured one is this change's doing.
        Unknown if ctx.configures(rc, "acl") => {
            out.indeterminate(RULE.id, rc, "acl");
        }
        _ => {}
    }
}

fn check_grantee(rc: &Resource, uri: &Value, path: &str, out: &mut Findings) {
    match uri.str() {
        Known(uri) if uri == ALL_USERS || uri == AUTHENTICATED_USERS => {
            let who = if uri == ALL_USERS {
                "AllUsers (anyone)"
            } else {
                "AuthenticatedUsers (any AWS account)"
            };
            out.report(
                RULE.id,
                rc,
                path,
                format!("ACL grant to the {who} group makes this bucket public"),
            );
        }
        Unknown => {
            out.indeterminate(RULE.id, rc, path);
        }
        _ => {}
    }
}
