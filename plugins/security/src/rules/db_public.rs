//! SEC030: RDS instances, Aurora instances and Redshift clusters that get a
//! public IP address and DNS name.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::Ctx;

pub const RULE: Rule = Rule::new(
    "SEC030",
    Severity::High,
    "network",
    "database is publicly accessible",
)
.help(include_str!("../../../../docs/rules/SEC030.md"));

const TYPES: [&str; 3] = [
    "aws_db_instance",
    "aws_rds_cluster_instance",
    "aws_redshift_cluster",
];

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &TYPES,
    run,
};

fn run(ctx: &Ctx, out: &mut Findings) {
    for rc in TYPES.iter().flat_map(|t| ctx.configured(t)) {
        match rc.after().get("publicly_accessible").bool() {
            Known(true) => {
                out.report(RULE.id, &rc, "publicly_accessible", "the database gets a public address; only security groups stand between it and the internet")
                    .fix("publicly_accessible", false);
            }
            Unknown => {
                out.indeterminate(RULE.id, &rc, "publicly_accessible");
            }
            _ => {}
        }
    }
}
