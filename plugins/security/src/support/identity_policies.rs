//! Where AWS identity policies sit in a plan, so the IAM rules read the same
//! documents: the `policy` of policy resources, a role's inline policies, and
//! an SSO permission set's inline policy.

use tfwarden_sdk::prelude::*;

use crate::context::Resource;
use crate::support::iam::{Document, document_at};
use crate::support::values::blocks;

/// Resource types that carry identity policy documents.
pub const TYPES: [&str; 6] = [
    "aws_iam_policy",
    "aws_iam_role_policy",
    "aws_iam_user_policy",
    "aws_iam_group_policy",
    "aws_iam_role",
    "aws_ssoadmin_permission_set_inline_policy",
];

/// One policy document and where it sits in the resource.
pub struct Located {
    pub path: String,
    pub document: Attr<Document>,
}

/// The identity policy documents that `rc` carries.
pub fn documents(rc: &Resource) -> Vec<Located> {
    let after = rc.after();
    match rc.type_() {
        // Inline policies on a role; left unset they are computed, and other
        // resources (judged on their own) carry the policies.
        "aws_iam_role" => blocks(&after.get("inline_policy"))
            .iter()
            .enumerate()
            .map(|(i, inline)| Located {
                path: format!("inline_policy.{i}.policy"),
                document: document_at(inline, "policy"),
            })
            .collect(),
        "aws_ssoadmin_permission_set_inline_policy" => {
            vec![Located {
                path: "inline_policy".into(),
                document: document_at(&after, "inline_policy"),
            }]
        }
        _ => vec![Located {
            path: "policy".into(),
            document: document_at(&after, "policy"),
        }],
    }
}
