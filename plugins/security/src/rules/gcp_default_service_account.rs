//! SEC048: a Compute Engine VM or template running as the default compute
//! service account with the full `cloud-platform` scope.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::Ctx;
use crate::support::values::known_strings;

pub const RULE: Rule = Rule::new(
    "SEC048",
    Severity::Medium,
    "iam",
    "VM uses the default service account with full access",
)
.help(include_str!("../../../../docs/rules/SEC048.md"));

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &[
        "google_compute_instance",
        "google_compute_instance_template",
    ],
    run,
};

const FULL_SCOPES: [&str; 2] = [
    "https://www.googleapis.com/auth/cloud-platform",
    "cloud-platform",
];

fn run(ctx: &Ctx, out: &mut Findings) {
    for rc in ctx
        .configured("google_compute_instance")
        .chain(ctx.configured("google_compute_instance_template"))
    {
        let account = rc.after().path("service_account.0");
        if !known_strings(&account.get("scopes"))
            .iter()
            .any(|s| FULL_SCOPES.contains(&s.as_str()))
        {
            continue;
        }
        let path = "service_account.0.email";
        match account.get("email").str() {
            Known(email)
                if email.ends_with("-compute@developer.gserviceaccount.com")
                    || email == "default" =>
            {
                out.report(RULE.id, &rc, path, "the default compute service account (Editor on the project by default) with the `cloud-platform` scope gives every process on the VM broad access to the project");
            }
            Known(_) => {}
            // Left unset, GCP runs the VM as the default compute service account.
            Absent => {
                out.report(RULE.id, &rc, path, "no `email`: the VM runs as the default compute service account (Editor on the project by default) with the `cloud-platform` scope");
            }
            // An email the configuration sets but the plan cannot show yet is a
            // service account created alongside: not the default one.
            Unknown if ctx.configures(&rc, path) => {}
            Unknown => {
                let finding = out.indeterminate(RULE.id, &rc, path);
                finding.message = "no `email` is set, so GCP will run the VM as the default compute service account with the `cloud-platform` scope".into();
            }
        }
    }
}
