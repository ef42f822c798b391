//! SEC043: a role whose trust policy lets any AWS principal assume it.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::Ctx;
use crate::support::iam::document_at;

pub const RULE: Rule = Rule::new(
    "SEC043",
    Severity::Critical,
    "iam",
    "IAM role can be assumed by anyone",
)
.help(include_str!("../../../../docs/rules/SEC043.md"));

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &["aws_iam_role"],
    run,
};

fn run(ctx: &Ctx, out: &mut Findings) {
    for rc in ctx.configured("aws_iam_role") {
        match document_at(&rc.after(), "assume_role_policy") {
            Known(trust) => {
                if trust
                    .allow_statements()
                    .any(|s| s.any_principal && !s.has_condition)
                {
                    out.report(RULE.id, &rc, "assume_role_policy", "the trust policy allows `Principal: \"*\"` without a condition: any AWS account can assume this role");
                }
            }
            Unknown => {
                out.indeterminate(RULE.id, &rc, "assume_role_policy");
            }
            Absent => {}
        }
    }
}
