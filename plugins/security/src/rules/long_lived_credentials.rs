//! SEC050–SEC052: long-lived credentials created by Terraform: IAM access
//! keys, IAM console passwords and Google service account keys. Their secrets
//! also land in the Terraform state.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::{Ctx, is_new};

pub const ACCESS_KEY: Rule = Rule::new(
    "SEC050",
    Severity::Medium,
    "credentials",
    "IAM access key is created",
)
.help(include_str!("../../../../docs/rules/SEC050.md"));
pub const LOGIN_PROFILE: Rule = Rule::new(
    "SEC051",
    Severity::Medium,
    "credentials",
    "IAM user gets a console password",
)
.help(include_str!("../../../../docs/rules/SEC051.md"));
pub const SERVICE_ACCOUNT_KEY: Rule = Rule::new(
    "SEC052",
    Severity::Medium,
    "credentials",
    "Google service account key is created",
)
.help(include_str!("../../../../docs/rules/SEC052.md"));

pub const CHECK: Check = Check {
    rules: &[ACCESS_KEY, LOGIN_PROFILE, SERVICE_ACCOUNT_KEY],
    types: &[
        "aws_iam_access_key",
        "aws_iam_user_login_profile",
        "google_service_account_key",
    ],
    run,
};

fn run(ctx: &Ctx, out: &mut Findings) {
    for rc in ctx.configured("aws_iam_access_key") {
        // A key created or re-activated; an inactive key cannot sign requests.
        let active = rc
            .after()
            .get("status")
            .str()
            .known()
            .is_none_or(|s| s != "Inactive");
        let reactivated = rc.before().get("status").str() == Known("Inactive".into());
        if active && (is_new(&rc) || reactivated) {
            out.report(
                ACCESS_KEY.id,
                &rc,
                "",
                "creates a long-lived access key; its secret is also stored in the Terraform state",
            );
        }
    }
    for rc in ctx
        .configured("aws_iam_user_login_profile")
        .filter(|rc| is_new(rc))
    {
        out.report(
            LOGIN_PROFILE.id,
            &rc,
            "",
            "gives an IAM user a console password, a long-lived credential outside single sign-on",
        );
    }
    for rc in ctx
        .configured("google_service_account_key")
        .filter(|rc| is_new(rc))
    {
        out.report(SERVICE_ACCOUNT_KEY.id, &rc, "", "creates a service account key that stays valid until deleted; its private key is also stored in the Terraform state");
    }
}
