//! LIM003: the size of one IAM managed policy document.
//!
//! IAM refuses a managed policy longer than 6,144 characters, not counting
//! white space; the apply fails on that policy and everything after it.

use super::Context;
use crate::fields::planned;
use crate::measure::{document_size, policy_chars};

pub const RULE: &str = "LIM003";

pub fn check(ctx: &mut Context) {
    let limit = ctx.settings.limits.max_managed_policy_chars;
    for (i, rc) in ctx.links.changes.iter().enumerate() {
        if rc.type_() != "aws_iam_policy" || !rc.creates_or_updates() {
            continue;
        }
        let [policy] = planned(rc, ["policy"]);
        let Some(size) = document_size(policy.value, policy_chars) else {
            continue;
        };
        ctx.judge(RULE, i, "policy", size, limit, |n, limit| {
            format!(
                "this managed policy document is {n} characters without white space (limit {limit})"
            )
        });
    }
}
