//! SEC041: an identity policy that allows `iam:PassRole` on every role
//! without a condition, a well-known privilege escalation path.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::Ctx;
use crate::support::identity_policies::{TYPES, documents};

pub const RULE: Rule = Rule::new(
    "SEC041",
    Severity::High,
    "iam",
    "IAM policy allows iam:PassRole on any role",
)
.help(include_str!("../../../../docs/rules/SEC041.md"));

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
                    let passes_any_role = document.allow_statements().any(|s| {
                        s.allows_unconditionally()
                            && s.actions.covers("iam:PassRole")
                            && s.resources.is_everything()
                            // Full administrator access is SEC040's finding.
                            && !s.actions.is_everything()
                    });
                    if passes_any_role {
                        out.report(RULE.id, &rc, &located.path, "`iam:PassRole` on `*` without a condition lets the holder hand any role, including administrator roles, to a service it controls");
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
