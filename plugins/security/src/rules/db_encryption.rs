//! SEC021: RDS instances, Aurora, DocumentDB and Neptune clusters whose
//! storage is not encrypted. Encryption can only be chosen at creation.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::Ctx;

pub const RULE: Rule = Rule::new(
    "SEC021",
    Severity::Medium,
    "encryption",
    "database storage is not encrypted",
)
.help(include_str!("../../../../docs/rules/SEC021.md"));

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &[
        "aws_db_instance",
        "aws_rds_cluster",
        "aws_docdb_cluster",
        "aws_neptune_cluster",
    ],
    run,
};

/// Attributes that make the storage inherit its encryption from elsewhere
/// (a source database, a snapshot, a global cluster): then the plan cannot say.
const INHERITS_FROM: [&str; 6] = [
    "replicate_source_db",
    "snapshot_identifier",
    "replication_source_identifier",
    "global_cluster_identifier",
    "restore_to_point_in_time",
    "s3_import",
];

fn run(ctx: &Ctx, out: &mut Findings) {
    let types = [
        "aws_db_instance",
        "aws_rds_cluster",
        "aws_docdb_cluster",
        "aws_neptune_cluster",
    ];
    for rc in types.iter().flat_map(|t| ctx.configured(t)) {
        let after = rc.after();
        if INHERITS_FROM.iter().any(|key| ctx.sets(&rc, key)) {
            continue;
        }
        let engine = after.get("engine").str().known().unwrap_or_default();
        // Aurora instances take the cluster's encryption; serverless v1 clusters are always encrypted.
        if (rc.type_() == "aws_db_instance" && engine.starts_with("aurora"))
            || after.get("engine_mode").str() == Known("serverless".into())
        {
            continue;
        }
        // A customer key can only be given with encryption on.
        if ctx.sets(&rc, "kms_key_id") {
            continue;
        }
        match after.get("storage_encrypted").bool() {
            Known(true) => {}
            Known(false) | Absent => {
                out.report(RULE.id, &rc, "storage_encrypted", "storage, backups and snapshots will be unencrypted; this can only be changed by rebuilding the database")
                    .fix("storage_encrypted", true);
            }
            Unknown => {
                let finding = out.indeterminate(RULE.id, &rc, "storage_encrypted");
                if !ctx.configures(&rc, "storage_encrypted") {
                    finding.message = "`storage_encrypted` is not set; AWS then creates provisioned clusters unencrypted".into();
                }
            }
        }
    }
}
