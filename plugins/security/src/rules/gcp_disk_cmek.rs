//! SEC027: GCP disks encrypted only with Google-managed keys, for
//! organisations that require their own keys (the `require_gcp_disk_cmek`
//! setting; off by default, since Google encrypts every disk anyway).

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::{Ctx, Resource};
use crate::support::values::blocks;

pub const RULE: Rule = Rule::new(
    "SEC027",
    Severity::Medium,
    "encryption",
    "GCP disk is not encrypted with a customer-managed key",
)
.help(include_str!("../../../../docs/rules/SEC027.md"));

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &[
        "google_compute_disk",
        "google_compute_region_disk",
        "google_compute_instance",
        "google_compute_instance_template",
    ],
    run,
};

/// Fields that carry a customer key: a Cloud KMS key, or a key the customer supplies.
const KEY_FIELDS: [&str; 4] = [
    "kms_key_self_link",
    "raw_key",
    "rsa_encrypted_key",
    "kms_key_name",
];

fn run(ctx: &Ctx, out: &mut Findings) {
    if !ctx.settings.require_gcp_disk_cmek {
        return;
    }
    for rc in ctx
        .configured("google_compute_disk")
        .chain(ctx.configured("google_compute_region_disk"))
    {
        judge_key(
            ctx,
            &rc,
            &rc.after().path("disk_encryption_key.0"),
            "disk_encryption_key.0.",
            out,
        );
    }
    for rc in ctx.configured("google_compute_instance") {
        let boot = rc.after().path("boot_disk.0");
        // Booting from an existing disk: that disk is judged on its own.
        if ctx.sets(&rc, "boot_disk.0.source")
            || ctx.sets(&rc, "boot_disk.0.disk_encryption_key_raw")
        {
            continue;
        }
        judge_key(ctx, &rc, &boot, "boot_disk.0.", out);
    }
    for rc in ctx.configured("google_compute_instance_template") {
        for (i, disk) in blocks(&rc.after().get("disk")).iter().enumerate() {
            if ctx.sets(&rc, &format!("disk.{i}.source")) {
                continue;
            }
            judge_key(
                ctx,
                &rc,
                &disk.path("disk_encryption_key.0"),
                &format!("disk.{i}.disk_encryption_key.0."),
                out,
            );
        }
    }
}

fn judge_key(ctx: &Ctx, rc: &Resource, key: &Value, prefix: &str, out: &mut Findings) {
    let fields: Vec<Value> = KEY_FIELDS.iter().map(|f| key.get(f)).collect();
    if fields
        .iter()
        .any(|f| matches!(f.str(), Known(ref s) if !s.is_empty()))
    {
        return;
    }
    let path = format!("{prefix}kms_key_self_link");
    let configured = KEY_FIELDS
        .iter()
        .any(|f| ctx.configures(rc, &format!("{prefix}{f}")));
    if configured {
        // Set to a key created in this plan, or otherwise known only after apply.
        if fields.iter().any(|f| f.is_unknown()) {
            return;
        }
    } else if fields.iter().any(|f| f.is_unknown()) || key.is_unknown() {
        let finding = out.indeterminate(RULE.id, rc, &path);
        finding.message =
            "no customer-managed key is configured; the disk will then use a Google-managed key"
                .into();
        return;
    }
    out.report(
        RULE.id,
        rc,
        &path,
        "the disk uses a Google-managed key, but this organisation requires customer-managed keys",
    );
}
