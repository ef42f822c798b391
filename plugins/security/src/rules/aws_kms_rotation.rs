//! SEC070: a symmetric AWS KMS key without automatic rotation.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::Ctx;

pub const RULE: Rule = Rule::new(
    "SEC070",
    Severity::Medium,
    "keys",
    "KMS key rotation is off",
)
.help(include_str!("../../../../docs/rules/SEC070.md"));

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &["aws_kms_key"],
    run,
};

fn run(ctx: &Ctx, out: &mut Findings) {
    for rc in ctx.configured("aws_kms_key") {
        let after = rc.after();
        // Only symmetric encryption keys in AWS's own key store can rotate automatically.
        let spec = match after.get("customer_master_key_spec").str() {
            Absent => after.get("key_spec").str(),
            spec => spec,
        };
        let usage = after.get("key_usage").str();
        let symmetric =
            matches!(spec, Known(ref s) if s == "SYMMETRIC_DEFAULT") || spec.is_absent();
        let encrypts = matches!(usage, Known(ref u) if u == "ENCRYPT_DECRYPT") || usage.is_absent();
        if !symmetric || !encrypts || ctx.sets(&rc, "custom_key_store_id") {
            continue;
        }
        match after.get("enable_key_rotation").bool() {
            Known(true) => {}
            Known(false) | Absent => {
                out.report(
                    RULE.id,
                    &rc,
                    "enable_key_rotation",
                    "automatic yearly rotation of the key material is off",
                )
                .fix("enable_key_rotation", true);
            }
            Unknown => {
                out.indeterminate(RULE.id, &rc, "enable_key_rotation");
            }
        }
    }
}
