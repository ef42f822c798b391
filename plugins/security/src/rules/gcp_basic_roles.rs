//! SEC046: the basic roles `roles/owner` and `roles/editor` granted on a
//! project, folder or organization.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::Ctx;
use crate::support::gcp_iam::grants;

pub const RULE: Rule = Rule::new(
    "SEC046",
    Severity::Medium,
    "iam",
    "Google basic role Owner or Editor is granted",
)
.help(include_str!("../../../../docs/rules/SEC046.md"));

const TYPES: [&str; 9] = [
    "google_project_iam_member",
    "google_project_iam_binding",
    "google_project_iam_policy",
    "google_folder_iam_member",
    "google_folder_iam_binding",
    "google_folder_iam_policy",
    "google_organization_iam_member",
    "google_organization_iam_binding",
    "google_organization_iam_policy",
];

const BASIC_ROLES: [&str; 2] = ["roles/owner", "roles/editor"];

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &TYPES,
    run,
};

fn run(ctx: &Ctx, out: &mut Findings) {
    for rc in TYPES.iter().flat_map(|t| ctx.configured(t)) {
        let Known(grants) = grants(&rc) else { continue };
        let mut reported = Vec::new();
        for grant in grants
            .iter()
            .filter(|g| BASIC_ROLES.contains(&g.role.as_str()))
        {
            // One finding per role in a policy document, not one per member.
            if reported.contains(&(&grant.path, &grant.role)) {
                continue;
            }
            reported.push((&grant.path, &grant.role));
            let scope = rc
                .type_()
                .trim_start_matches("google_")
                .split('_')
                .next()
                .unwrap_or("resource");
            out.report(RULE.id, &rc, &grant.path, format!("grants `{}` on the {scope} to `{}`: thousands of permissions across every service", grant.role, grant.member));
        }
    }
}
