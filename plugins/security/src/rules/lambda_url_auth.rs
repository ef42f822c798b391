//! SEC093: a Lambda function URL that anyone can call without signing.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::Ctx;

pub const RULE: Rule = Rule::new(
    "SEC093",
    Severity::Medium,
    "compute",
    "Lambda function URL requires no authentication",
)
.help(include_str!("../../../../docs/rules/SEC093.md"));

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &["aws_lambda_function_url"],
    run,
};

fn run(ctx: &Ctx, out: &mut Findings) {
    for rc in ctx.configured("aws_lambda_function_url") {
        match rc.after().get("authorization_type").str() {
            Known(kind) if kind == "NONE" => {
                out.report(RULE.id, &rc, "authorization_type", "`authorization_type = \"NONE\"`: anyone who finds the URL can invoke the function")
                    .fix("authorization_type", "AWS_IAM");
            }
            Unknown => {
                out.indeterminate(RULE.id, &rc, "authorization_type");
            }
            _ => {}
        }
    }
}
