//! SEC028: Azure virtual machines and scale sets without encryption at host,
//! which leaves temporary disks and disk caches unencrypted.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::Ctx;

pub const RULE: Rule = Rule::new(
    "SEC028",
    Severity::Low,
    "encryption",
    "Azure VM disks are not encrypted at host",
)
.help(include_str!("../../../../docs/rules/SEC028.md"));

const TYPES: [&str; 4] = [
    "azurerm_linux_virtual_machine",
    "azurerm_windows_virtual_machine",
    "azurerm_linux_virtual_machine_scale_set",
    "azurerm_windows_virtual_machine_scale_set",
];

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &TYPES,
    run,
};

fn run(ctx: &Ctx, out: &mut Findings) {
    for rc in TYPES.iter().flat_map(|t| ctx.configured(t)) {
        match rc.after().get("encryption_at_host_enabled").bool() {
            Known(true) => {}
            Known(false) | Absent => {
                out.report(
                    RULE.id,
                    &rc,
                    "encryption_at_host_enabled",
                    "temporary disks and disk caches on the host are not encrypted",
                )
                .fix("encryption_at_host_enabled", true);
            }
            Unknown => {
                out.indeterminate(RULE.id, &rc, "encryption_at_host_enabled");
            }
        }
    }
}
