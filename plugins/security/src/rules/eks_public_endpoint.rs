//! SEC014: an EKS cluster whose Kubernetes API endpoint accepts connections
//! from the whole internet (the AWS default).

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::Ctx;
use crate::support::net::is_internet_cidr;
use crate::support::values::find_str;

pub const RULE: Rule = Rule::new(
    "SEC014",
    Severity::Medium,
    "network",
    "EKS API endpoint is open to the internet",
)
.help(include_str!("../../../../docs/rules/SEC014.md"));

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &["aws_eks_cluster"],
    run,
};

fn run(ctx: &Ctx, out: &mut Findings) {
    for rc in ctx.configured("aws_eks_cluster") {
        let vpc_config = rc.after().path("vpc_config.0");
        match vpc_config.get("endpoint_public_access").bool() {
            Known(false) => continue,
            Unknown => {
                out.indeterminate(RULE.id, &rc, "vpc_config.0.endpoint_public_access");
                continue;
            }
            // Unset means AWS's default: public.
            Known(true) | Absent => {}
        }
        let path = "vpc_config.0.public_access_cidrs";
        match find_str(&vpc_config.get("public_access_cidrs"), is_internet_cidr) {
            Known(cidr) => {
                out.report(
                    RULE.id,
                    &rc,
                    path,
                    format!("the public API endpoint accepts connections from `{cidr}`"),
                );
            }
            Unknown => {
                let finding = out.indeterminate(RULE.id, &rc, path);
                if !ctx.configures(&rc, path) {
                    finding.message = "`public_access_cidrs` is not known before apply; when left unset EKS allows 0.0.0.0/0".into();
                }
            }
            Absent => {}
        }
    }
}
