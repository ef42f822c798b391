//! SEC020: EBS volumes, instance block devices, launch templates and launch
//! configurations that explicitly turn encryption off.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::{Ctx, Resource};
use crate::support::values::{blocks, flag};

pub const RULE: Rule = Rule::new(
    "SEC020",
    Severity::Medium,
    "encryption",
    "EBS volume is not encrypted",
)
.help(include_str!("../../../../docs/rules/SEC020.md"));

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &[
        "aws_ebs_volume",
        "aws_instance",
        "aws_launch_template",
        "aws_launch_configuration",
        "aws_ebs_encryption_by_default",
    ],
    run,
};

fn run(ctx: &Ctx, out: &mut Findings) {
    // Account-wide default encryption overrides `encrypted = false`.
    let by_default = ctx
        .remaining("aws_ebs_encryption_by_default")
        .any(|rc| rc.after().get("enabled").bool().or_absent(true) == Some(true));
    if by_default {
        return;
    }
    for rc in ctx.configured("aws_ebs_volume") {
        judge(ctx, &rc, &rc.after(), "", out);
    }
    for rc in ctx
        .configured("aws_instance")
        .chain(ctx.configured("aws_launch_configuration"))
    {
        let after = rc.after();
        judge(
            ctx,
            &rc,
            &after.path("root_block_device.0"),
            "root_block_device.0.",
            out,
        );
        for (i, device) in blocks(&after.get("ebs_block_device")).iter().enumerate() {
            judge(ctx, &rc, device, &format!("ebs_block_device.{i}."), out);
        }
    }
    for rc in ctx.configured("aws_launch_template") {
        for (i, mapping) in blocks(&rc.after().get("block_device_mappings"))
            .iter()
            .enumerate()
        {
            judge(
                ctx,
                &rc,
                &mapping.path("ebs.0"),
                &format!("block_device_mappings.{i}.ebs.0."),
                out,
            );
        }
    }
}

/// Judges one volume definition whose attributes sit under `prefix`.
fn judge(ctx: &Ctx, rc: &Resource, volume: &Value, prefix: &str, out: &mut Findings) {
    // A volume restored from a snapshot takes the snapshot's encryption.
    if ctx.sets(rc, &format!("{prefix}snapshot_id")) {
        return;
    }
    let path = format!("{prefix}encrypted");
    match flag(&volume.get("encrypted")) {
        Known(false) => {
            out.report(
                RULE.id,
                rc,
                &path,
                "`encrypted = false`: data at rest and snapshots of this volume are unencrypted",
            )
            .fix(&path, true);
        }
        // Unset, the value is computed from the account default, which the plan does not show.
        Unknown if ctx.configures(rc, &path) => {
            out.indeterminate(RULE.id, rc, &path);
        }
        _ => {}
    }
}
