//! SEC090: EC2 instances, launch templates and launch configurations that
//! still answer IMDSv1, the metadata protocol that SSRF bugs turn into
//! stolen role credentials.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::Ctx;

pub const RULE: Rule = Rule::new(
    "SEC090",
    Severity::High,
    "compute",
    "instance metadata allows IMDSv1",
)
.help(include_str!("../../../../docs/rules/SEC090.md"));

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &[
        "aws_instance",
        "aws_launch_template",
        "aws_launch_configuration",
        "aws_ec2_instance_metadata_defaults",
    ],
    run,
};

const UNSET_NOTE: &str = "`metadata_options.http_tokens` is not set: IMDSv1 stays on unless the AMI or the account default requires tokens";

fn run(ctx: &Ctx, out: &mut Findings) {
    // The account-wide default decides for everything that leaves the setting unset.
    let account_requires_tokens = ctx
        .remaining("aws_ec2_instance_metadata_defaults")
        .any(|rc| rc.after().get("http_tokens").str() == Known("required".into()));
    let types = [
        "aws_instance",
        "aws_launch_template",
        "aws_launch_configuration",
    ];
    for rc in types.iter().flat_map(|t| ctx.configured(t)) {
        let options = rc.after().path("metadata_options.0");
        if options.get("http_endpoint").str() == Known("disabled".into()) {
            continue;
        }
        let path = "metadata_options.0.http_tokens";
        match options.get("http_tokens").str() {
            Known(tokens) if tokens == "required" => {}
            Known(tokens) if tokens == "optional" => {
                out.report(
                    RULE.id,
                    &rc,
                    path,
                    "`http_tokens = \"optional\"`: IMDSv1 answers unauthenticated requests",
                )
                .fix(path, "required");
            }
            Unknown if ctx.configures(&rc, path) => {
                out.indeterminate(RULE.id, &rc, path);
            }
            _ if account_requires_tokens => {}
            Unknown => {
                out.indeterminate(RULE.id, &rc, path).message = UNSET_NOTE.into();
            }
            // A template without metadata options: known, and it does not require tokens.
            _ => {
                out.report(RULE.id, &rc, path, UNSET_NOTE)
                    .severity(Severity::Medium)
                    .fix(path, "required");
            }
        }
    }
}
