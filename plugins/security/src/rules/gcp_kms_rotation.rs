//! SEC071: a Cloud KMS encryption key that never rotates, or rotates less
//! often than the `gcp_kms_max_rotation_days` setting allows.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::Ctx;

pub const RULE: Rule = Rule::new(
    "SEC071",
    Severity::Medium,
    "keys",
    "Cloud KMS key is not rotated",
)
.help(include_str!("../../../../docs/rules/SEC071.md"));

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &["google_kms_crypto_key"],
    run,
};

const SECONDS_PER_DAY: f64 = 86_400.0;

fn run(ctx: &Ctx, out: &mut Findings) {
    let max_days = ctx.settings.gcp_kms_max_rotation_days;
    for rc in ctx.configured("google_kms_crypto_key") {
        let after = rc.after();
        // Only symmetric encryption keys rotate automatically; imported keys never do.
        match after.get("purpose").str() {
            Known(purpose) if purpose != "ENCRYPT_DECRYPT" => continue,
            Unknown => continue,
            _ => {}
        }
        if after.get("import_only").bool() == Known(true) {
            continue;
        }
        match after.get("rotation_period").str() {
            Known(period) if !period.is_empty() => {
                let Some(days) = period
                    .strip_suffix('s')
                    .and_then(|s| s.parse::<f64>().ok())
                    .map(|s| s / SECONDS_PER_DAY)
                else {
                    continue;
                };
                if days > f64::from(max_days) {
                    out.report(
                        RULE.id,
                        &rc,
                        "rotation_period",
                        format!("rotates every {days:.0} days; the limit is {max_days}"),
                    )
                    .fix(
                        "rotation_period",
                        format!("{}s", u64::from(max_days) * 86_400),
                    );
                }
            }
            Unknown => {
                out.indeterminate(RULE.id, &rc, "rotation_period");
            }
            _ => {
                out.report(
                    RULE.id,
                    &rc,
                    "rotation_period",
                    "no `rotation_period`: the key material never rotates",
                )
                .fix(
                    "rotation_period",
                    format!("{}s", u64::from(max_days) * 86_400),
                );
            }
        }
    }
}
