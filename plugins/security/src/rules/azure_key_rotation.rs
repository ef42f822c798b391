//! SEC072: an Azure Key Vault key without an automatic rotation policy.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::Ctx;

pub const RULE: Rule = Rule::new(
    "SEC072",
    Severity::Low,
    "keys",
    "Key Vault key has no automatic rotation",
)
.help(include_str!("../../../../docs/rules/SEC072.md"));

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &["azurerm_key_vault_key"],
    run,
};

fn run(ctx: &Ctx, out: &mut Findings) {
    for rc in ctx.configured("azurerm_key_vault_key") {
        let path = "rotation_policy.0.automatic";
        match rc.after().path(path).items() {
            Known(automatic) if !automatic.is_empty() => {}
            Unknown => {
                out.indeterminate(RULE.id, &rc, path);
            }
            _ => {
                out.report(
                    RULE.id,
                    &rc,
                    "rotation_policy",
                    "no `rotation_policy` with an `automatic` block: the key is never rotated",
                );
            }
        }
    }
}
