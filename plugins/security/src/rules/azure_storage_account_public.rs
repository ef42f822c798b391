//! SEC007: an Azure storage account that permits anonymous access to its
//! blobs, which any container can then turn on by itself.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::Ctx;

pub const RULE: Rule = Rule::new(
    "SEC007",
    Severity::Medium,
    "storage",
    "Azure storage account allows public blob access",
)
.help(include_str!("../../../../docs/rules/SEC007.md"));

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &["azurerm_storage_account"],
    run,
};

/// The switch is `allow_nested_items_to_be_public` from azurerm v3, `allow_blob_public_access` before.
const SWITCHES: [&str; 2] = [
    "allow_nested_items_to_be_public",
    "allow_blob_public_access",
];

fn run(ctx: &Ctx, out: &mut Findings) {
    for rc in ctx.configured("azurerm_storage_account") {
        let after = rc.after();
        for switch in SWITCHES {
            match after.get(switch).bool() {
                Known(true) => {
                    out.report(
                        RULE.id,
                        &rc,
                        switch,
                        "containers in this account may allow anonymous reads",
                    )
                    .fix(switch, false);
                }
                Unknown => {
                    out.indeterminate(RULE.id, &rc, switch);
                }
                _ => continue,
            }
            break;
        }
    }
}
