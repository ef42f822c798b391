//! SEC023: an EFS file system created without encryption at rest, which can
//! only be chosen when the file system is created.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::Ctx;

pub const RULE: Rule = Rule::new(
    "SEC023",
    Severity::Medium,
    "encryption",
    "EFS file system is not encrypted",
)
.help(include_str!("../../../../docs/rules/SEC023.md"));

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &["aws_efs_file_system"],
    run,
};

fn run(ctx: &Ctx, out: &mut Findings) {
    for rc in ctx.configured("aws_efs_file_system") {
        let after = rc.after();
        if ctx.sets(&rc, "kms_key_id") {
            continue;
        }
        match after.get("encrypted").bool() {
            Known(false) => {
                out.report(
                    RULE.id,
                    &rc,
                    "encrypted",
                    "`encrypted = false`: files are stored unencrypted",
                )
                .fix("encrypted", true);
            }
            Unknown => {
                let finding = out.indeterminate(RULE.id, &rc, "encrypted");
                if !ctx.configures(&rc, "encrypted") {
                    finding.message = "`encrypted` is not set; the EFS API then creates the file system unencrypted".into();
                }
            }
            _ => {}
        }
    }
}
