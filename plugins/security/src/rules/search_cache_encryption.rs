//! SEC029: OpenSearch (Elasticsearch) domains and ElastiCache replication
//! groups with encryption at rest explicitly off.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::{Ctx, Resource};

pub const RULE: Rule = Rule::new(
    "SEC029",
    Severity::Medium,
    "encryption",
    "search or cache cluster is not encrypted at rest",
)
.help(include_str!("../../../../docs/rules/SEC029.md"));

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &[
        "aws_elasticsearch_domain",
        "aws_opensearch_domain",
        "aws_elasticache_replication_group",
    ],
    run,
};

fn run(ctx: &Ctx, out: &mut Findings) {
    for rc in ctx
        .configured("aws_elasticsearch_domain")
        .chain(ctx.configured("aws_opensearch_domain"))
    {
        judge(ctx, &rc, "encrypt_at_rest.0.enabled", out);
    }
    for rc in ctx.configured("aws_elasticache_replication_group") {
        judge(ctx, &rc, "at_rest_encryption_enabled", out);
    }
}

fn judge(ctx: &Ctx, rc: &Resource, path: &str, out: &mut Findings) {
    match rc.after().path(path).bool() {
        Known(false) => {
            out.report(RULE.id, rc, path, "data at rest, including snapshots, is not encrypted; this can only be changed by rebuilding the cluster")
                .fix(path, true);
        }
        // Unset, the default depends on the engine version, which this rule does not guess.
        Unknown if ctx.configures(rc, path) => {
            out.indeterminate(RULE.id, rc, path);
        }
        _ => {}
    }
}
