//! SEC094: Azure Linux VMs and scale sets that accept SSH password logins.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::{Ctx, Resource};

pub const RULE: Rule = Rule::new(
    "SEC094",
    Severity::Medium,
    "compute",
    "Azure Linux VM allows password authentication",
)
.help(include_str!("../../../../docs/rules/SEC094.md"));

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &[
        "azurerm_linux_virtual_machine",
        "azurerm_linux_virtual_machine_scale_set",
        "azurerm_virtual_machine",
    ],
    run,
};

fn run(ctx: &Ctx, out: &mut Findings) {
    let modern = [
        "azurerm_linux_virtual_machine",
        "azurerm_linux_virtual_machine_scale_set",
    ];
    for rc in modern.iter().flat_map(|t| ctx.configured(t)) {
        judge(&rc, "disable_password_authentication", out);
    }
    // The legacy resource keeps the switch in its Linux profile; Windows VMs have no such block.
    for rc in ctx.configured("azurerm_virtual_machine") {
        if rc.after().path("os_profile_linux_config.0").is_known() {
            judge(
                &rc,
                "os_profile_linux_config.0.disable_password_authentication",
                out,
            );
        }
    }
}

fn judge(rc: &Resource, path: &str, out: &mut Findings) {
    match rc.after().path(path).bool() {
        Known(false) => {
            out.report(
                RULE.id,
                rc,
                path,
                "SSH accepts passwords, which can be guessed or reused; use keys only",
            )
            .fix(path, true);
        }
        Unknown => {
            out.indeterminate(RULE.id, rc, path);
        }
        _ => {}
    }
}
