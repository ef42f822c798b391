//! SEC042: the AWS-managed `AdministratorAccess` policy attached to a user,
//! group, role or SSO permission set.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::Ctx;
use crate::support::values::blocks;

pub const RULE: Rule = Rule::new(
    "SEC042",
    Severity::Medium,
    "iam",
    "AdministratorAccess policy is attached",
)
.help(include_str!("../../../../docs/rules/SEC042.md"));

/// Resources with a single policy ARN, and the attribute holding it.
const ATTACHMENTS: [(&str, &str); 5] = [
    ("aws_iam_role_policy_attachment", "policy_arn"),
    ("aws_iam_user_policy_attachment", "policy_arn"),
    ("aws_iam_group_policy_attachment", "policy_arn"),
    ("aws_iam_policy_attachment", "policy_arn"),
    (
        "aws_ssoadmin_managed_policy_attachment",
        "managed_policy_arn",
    ),
];

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &[
        "aws_iam_role_policy_attachment",
        "aws_iam_user_policy_attachment",
        "aws_iam_group_policy_attachment",
        "aws_iam_policy_attachment",
        "aws_ssoadmin_managed_policy_attachment",
        "aws_iam_role",
    ],
    run,
};

/// `arn:aws:iam::aws:policy/AdministratorAccess` in any partition.
fn is_administrator_access(arn: &str) -> bool {
    arn.starts_with("arn:") && arn.ends_with(":iam::aws:policy/AdministratorAccess")
}

fn run(ctx: &Ctx, out: &mut Findings) {
    for (type_, attr) in ATTACHMENTS {
        for rc in ctx.configured(type_) {
            match rc.after().get(attr).str() {
                Known(arn) if is_administrator_access(&arn) => {
                    out.report(RULE.id, &rc, attr, "grants full administrator access through the AWS-managed AdministratorAccess policy");
                }
                // AWS-managed ARNs are constants; an ARN known only after apply
                // belongs to a policy created in this plan, which SEC040 reads.
                _ => {}
            }
        }
    }
    for rc in ctx.configured("aws_iam_role") {
        for (i, arn) in blocks(&rc.after().get("managed_policy_arns"))
            .iter()
            .enumerate()
        {
            if let Known(arn) = arn.str()
                && is_administrator_access(&arn)
            {
                out.report(RULE.id, &rc, &format!("managed_policy_arns.{i}"), "grants full administrator access through the AWS-managed AdministratorAccess policy");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_every_partition_only_for_the_aws_managed_policy() {
        assert!(is_administrator_access(
            "arn:aws:iam::aws:policy/AdministratorAccess"
        ));
        assert!(is_administrator_access(
            "arn:aws-us-gov:iam::aws:policy/AdministratorAccess"
        ));
        assert!(!is_administrator_access(
            "arn:aws:iam::123456789012:policy/AdministratorAccess"
        ));
        assert!(!is_administrator_access(
            "arn:aws:iam::aws:policy/AdministratorAccess-Amplify"
        ));
        assert!(!is_administrator_access(
            "arn:aws:iam::aws:policy/ReadOnlyAccess"
        ));
    }
}
