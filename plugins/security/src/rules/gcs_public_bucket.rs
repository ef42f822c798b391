//! SEC005: a Cloud Storage bucket or object readable by `allUsers` or
//! `allAuthenticatedUsers`, through IAM or through legacy ACLs.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::Ctx;
use crate::support::gcp_iam::{grants, is_public_member};
use crate::support::values::blocks;

pub const RULE: Rule = Rule::new(
    "SEC005",
    Severity::High,
    "storage",
    "Cloud Storage bucket is public",
)
.help(include_str!("../../../../docs/rules/SEC005.md"));

const IAM_TYPES: [&str; 3] = [
    "google_storage_bucket_iam_member",
    "google_storage_bucket_iam_binding",
    "google_storage_bucket_iam_policy",
];
/// ACL resources whose `entity` names one grantee.
const ENTITY_TYPES: [&str; 3] = [
    "google_storage_bucket_access_control",
    "google_storage_default_object_access_control",
    "google_storage_object_access_control",
];
/// ACL resources with a `role_entity` list (`READER:allUsers`) or a `predefined_acl`.
const ACL_TYPES: [&str; 3] = [
    "google_storage_bucket_acl",
    "google_storage_default_object_acl",
    "google_storage_object_acl",
];
const PUBLIC_PREDEFINED_ACLS: [&str; 2] = ["publicRead", "publicReadWrite"];

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &[
        "google_storage_bucket_iam_member",
        "google_storage_bucket_iam_binding",
        "google_storage_bucket_iam_policy",
        "google_storage_bucket_access_control",
        "google_storage_default_object_access_control",
        "google_storage_object_access_control",
        "google_storage_bucket_acl",
        "google_storage_default_object_acl",
        "google_storage_object_acl",
    ],
    run,
};

fn run(ctx: &Ctx, out: &mut Findings) {
    for rc in IAM_TYPES.iter().flat_map(|t| ctx.configured(t)) {
        match grants(&rc) {
            Known(grants) => {
                for grant in grants.iter().filter(|g| is_public_member(&g.member)) {
                    out.report(
                        RULE.id,
                        &rc,
                        &grant.path,
                        format!("grants `{}` to `{}`", grant.role, grant.member),
                    );
                }
            }
            Unknown => {
                out.indeterminate(
                    RULE.id,
                    &rc,
                    if rc.type_().ends_with("_policy") {
                        "policy_data"
                    } else {
                        "members"
                    },
                );
            }
            Absent => {}
        }
    }
    for rc in ENTITY_TYPES.iter().flat_map(|t| ctx.configured(t)) {
        match rc.after().get("entity").str() {
            Known(entity) if is_public_member(&entity) => {
                out.report(
                    RULE.id,
                    &rc,
                    "entity",
                    format!("ACL entry gives `{entity}` access"),
                );
            }
            Unknown => {
                out.indeterminate(RULE.id, &rc, "entity");
            }
            _ => {}
        }
    }
    for rc in ACL_TYPES.iter().flat_map(|t| ctx.configured(t)) {
        let after = rc.after();
        if let Known(acl) = after.get("predefined_acl").str()
            && PUBLIC_PREDEFINED_ACLS.contains(&acl.as_ref())
        {
            out.report(
                RULE.id,
                &rc,
                "predefined_acl",
                format!("predefined ACL `{acl}` makes the contents public"),
            );
        }
        for (i, entry) in blocks(&after.get("role_entity")).iter().enumerate() {
            match entry.str() {
                Known(entry)
                    if entry
                        .split_once(':')
                        .is_some_and(|(_, who)| is_public_member(who)) =>
                {
                    out.report(
                        RULE.id,
                        &rc,
                        &format!("role_entity.{i}"),
                        format!("ACL entry `{entry}` is public"),
                    );
                }
                Unknown => {
                    out.indeterminate(RULE.id, &rc, &format!("role_entity.{i}"));
                }
                _ => {}
            }
        }
    }
}
