//! SEC040: an identity policy that allows every action on every resource.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::Ctx;
use crate::support::identity_policies::{TYPES, documents};

pub const RULE: Rule = Rule::new(
    "SEC040",
    Severity::High,
    "iam",
    "IAM policy allows all actions on all resources",
)
.help(include_str!("../../../../docs/rules/SEC040.md"));

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &TYPES,
    run,
};

fn run(ctx: &Ctx, out: &mut Findings) {
    for rc in TYPES.iter().flat_map(|t| ctx.configured(t)) {
        for located in documents(&rc) {
            match located.document {
                Known(document) => {
                    let admin = document
                        .allow_statements()
                        .find(|s| s.actions.is_everything() && s.resources.is_everything());
                    if let Some(statement) = admin {
                        let condition = if statement.has_condition {
                            " (under a condition)"
                        } else {
                            ""
                        };
                        out.report(RULE.id, &rc, &located.path, format!("a statement allows `*` on `*`{condition}: full administrator access"));
                    }
                }
                Unknown => {
                    out.indeterminate(RULE.id, &rc, &located.path);
                }
                Absent => {}
            }
        }
    }
}
