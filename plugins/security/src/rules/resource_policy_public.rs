//! SEC044: resource policies (SQS, SNS, ECR, Secrets Manager, KMS, Glacier,
//! OpenSearch, Lambda) that let anyone in, with no condition.
//! S3 bucket policies have their own rule, SEC004.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::{Ctx, Resource};
use crate::support::iam::document_at;

pub const RULE: Rule = Rule::new(
    "SEC044",
    Severity::High,
    "iam",
    "resource policy allows public access",
)
.help(include_str!("../../../../docs/rules/SEC044.md"));

/// Resource types and the attribute holding their policy. `computed` marks
/// attributes the provider fills in when unset, so an unknown value there is
/// only worth reporting when the configuration sets it.
const POLICIES: [(&str, &str, bool); 13] = [
    ("aws_sqs_queue_policy", "policy", false),
    ("aws_sqs_queue", "policy", true),
    ("aws_sns_topic_policy", "policy", false),
    ("aws_sns_topic", "policy", true),
    ("aws_ecr_repository_policy", "policy", false),
    ("aws_secretsmanager_secret_policy", "policy", false),
    ("aws_secretsmanager_secret", "policy", true),
    ("aws_kms_key", "policy", true),
    ("aws_glacier_vault", "access_policy", true),
    ("aws_elasticsearch_domain", "access_policies", true),
    ("aws_opensearch_domain", "access_policies", true),
    ("aws_elasticsearch_domain_policy", "access_policies", false),
    ("aws_opensearch_domain_policy", "access_policies", false),
];

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &[
        "aws_sqs_queue_policy",
        "aws_sqs_queue",
        "aws_sns_topic_policy",
        "aws_sns_topic",
        "aws_ecr_repository_policy",
        "aws_secretsmanager_secret_policy",
        "aws_secretsmanager_secret",
        "aws_kms_key",
        "aws_glacier_vault",
        "aws_elasticsearch_domain",
        "aws_opensearch_domain",
        "aws_elasticsearch_domain_policy",
        "aws_opensearch_domain_policy",
        "aws_lambda_permission",
    ],
    run,
};

fn run(ctx: &Ctx, out: &mut Findings) {
    for (type_, attr, computed) in POLICIES {
        for rc in ctx.configured(type_) {
            judge_policy(ctx, &rc, attr, computed, out);
        }
    }
    for rc in ctx.configured("aws_lambda_permission") {
        judge_lambda_permission(ctx, &rc, out);
    }
}

fn judge_policy(ctx: &Ctx, rc: &Resource, attr: &str, computed: bool, out: &mut Findings) {
    let actions = match document_at(&rc.after(), attr) {
        Known(policy) => policy.public_actions(),
        Unknown if !computed || ctx.configures(rc, attr) => {
            out.indeterminate(RULE.id, rc, attr);
            return;
        }
        _ => return,
    };
    if actions.is_empty() {
        return;
    }
    if rc.type_().ends_with("_domain") || rc.type_().ends_with("_domain_policy") {
        match domain_is_shielded(ctx, rc) {
            Some(true) => return,
            Some(false) => {}
            None => {
                let finding = out.indeterminate(RULE.id, rc, attr);
                finding.message = "the access policy allows anyone; whether its domain sits in a VPC or requires fine-grained access control cannot be seen in this plan".into();
                return;
            }
        }
    }
    out.report(
        RULE.id,
        rc,
        attr,
        format!(
            "policy allows anyone (`Principal: \"*\"`, no condition) to call `{}`",
            actions.join("`, `")
        ),
    );
}

/// Whether the OpenSearch domain behind `rc` is out of the internet's reach
/// (in a VPC) or authenticates every request itself (fine-grained access
/// control). `None` when a policy resource's domain cannot be found.
fn domain_is_shielded(ctx: &Ctx, rc: &Resource) -> Option<bool> {
    if rc.type_().ends_with("_domain") {
        return Some(shields(&rc.after()));
    }
    let domain_type = rc.type_().trim_end_matches("_policy");
    let targets = ctx.refs().targets(rc, "domain_name", domain_type);
    let name = rc.after().get("domain_name").str();
    ctx.remaining(domain_type)
        .find(|domain| {
            targets.iter().any(|t| t.is(domain))
                || matches!((&name, domain.after().get("domain_name").str()), (Known(a), Known(b)) if *a == b)
        })
        .map(|domain| shields(&domain.after()))
}

fn shields(domain: &Value) -> bool {
    let in_vpc =
        matches!(domain.path("vpc_options.0.subnet_ids").items(), Known(ids) if !ids.is_empty());
    in_vpc || domain.path("advanced_security_options.0.enabled").bool() == Known(true)
}

fn judge_lambda_permission(ctx: &Ctx, rc: &Resource, out: &mut Findings) {
    match rc.after().get("principal").str() {
        Known(principal) if principal == "*" => {
            // These narrow who can invoke; a function URL's own auth is SEC093's concern.
            let narrowed = [
                "source_arn",
                "source_account",
                "principal_org_id",
                "function_url_auth_type",
            ]
            .iter()
            .any(|key| ctx.sets(rc, key));
            if !narrowed {
                out.report(RULE.id, rc, "principal", "`principal = \"*\"` with no source condition lets any AWS account invoke the function");
            }
        }
        Unknown => {
            out.indeterminate(RULE.id, rc, "principal");
        }
        _ => {}
    }
}
