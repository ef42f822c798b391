//! SEC008: an Azure storage container whose access level lets anyone read it.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::Ctx;

pub const RULE: Rule = Rule::new(
    "SEC008",
    Severity::High,
    "storage",
    "Azure storage container allows anonymous access",
)
.help(include_str!("../../../../docs/rules/SEC008.md"));

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &["azurerm_storage_container"],
    run,
};

fn run(ctx: &Ctx, out: &mut Findings) {
    for rc in ctx.configured("azurerm_storage_container") {
        match rc.after().get("container_access_type").str() {
            Known(level) if level == "blob" || level == "container" => {
                let what = if level == "container" {
                    "list and read every blob"
                } else {
                    "read any blob by URL"
                };
                out.report(
                    RULE.id,
                    &rc,
                    "container_access_type",
                    format!("access type `{level}` lets anyone {what}"),
                )
                .fix("container_access_type", "private");
            }
            Unknown => {
                out.indeterminate(RULE.id, &rc, "container_access_type");
            }
            _ => {}
        }
    }
}
