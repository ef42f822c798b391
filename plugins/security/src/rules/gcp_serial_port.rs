//! SEC091: interactive serial console access turned on for GCP VMs, through
//! instance, template or project metadata.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::Ctx;

pub const RULE: Rule = Rule::new(
    "SEC091",
    Severity::Medium,
    "compute",
    "GCP serial port access is enabled",
)
.help(include_str!("../../../../docs/rules/SEC091.md"));

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &[
        "google_compute_instance",
        "google_compute_instance_template",
        "google_compute_project_metadata",
        "google_compute_project_metadata_item",
    ],
    run,
};

const KEY: &str = "serial-port-enable";

/// GCP reads metadata booleans case-insensitively, and also accepts `1`.
fn truthy(value: &str) -> bool {
    value.eq_ignore_ascii_case("true") || value == "1"
}

fn run(ctx: &Ctx, out: &mut Findings) {
    let with_metadata = [
        "google_compute_instance",
        "google_compute_instance_template",
        "google_compute_project_metadata",
    ];
    for rc in with_metadata.iter().flat_map(|t| ctx.configured(t)) {
        let path = format!("metadata.{KEY}");
        match rc.after().get("metadata").get(KEY).str() {
            Known(value) if truthy(&value) => {
                out.report(RULE.id, &rc, &path, "the interactive serial console is reachable from the internet for anyone with the right IAM role, bypassing firewall rules")
                    .fix(&path, "false");
            }
            Unknown => {
                out.indeterminate(RULE.id, &rc, &path);
            }
            _ => {}
        }
    }
    for rc in ctx.configured("google_compute_project_metadata_item") {
        let after = rc.after();
        if after.get("key").str() != Known(KEY.into()) {
            continue;
        }
        match after.get("value").str() {
            Known(value) if truthy(&value) => {
                out.report(
                    RULE.id,
                    &rc,
                    "value",
                    "turns on the interactive serial console for every VM in the project",
                )
                .fix("value", "false");
            }
            Unknown => {
                out.indeterminate(RULE.id, &rc, "value");
            }
            _ => {}
        }
    }
}
