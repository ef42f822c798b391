//! SEC047: an Azure custom role definition that allows every action.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::Ctx;
use crate::support::values::{blocks, known_strings};

pub const RULE: Rule = Rule::new(
    "SEC047",
    Severity::Medium,
    "iam",
    "Azure custom role allows all actions",
)
.help(include_str!("../../../../docs/rules/SEC047.md"));

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &["azurerm_role_definition"],
    run,
};

fn run(ctx: &Ctx, out: &mut Findings) {
    for rc in ctx.configured("azurerm_role_definition") {
        for (i, permission) in blocks(&rc.after().get("permissions")).iter().enumerate() {
            if !known_strings(&permission.get("actions"))
                .iter()
                .any(|a| a == "*")
            {
                continue;
            }
            let excluded = known_strings(&permission.get("not_actions")).len();
            let message = match excluded {
                0 => "`actions = [\"*\"]`: the role can do everything, including granting itself more access".to_owned(),
                n => format!("`actions = [\"*\"]` minus {n} excluded action pattern(s): close to Owner or Contributor"),
            };
            out.report(RULE.id, &rc, &format!("permissions.{i}.actions"), message);
        }
    }
}
