//! SEC045: Google IAM grants to `allUsers` or `allAuthenticatedUsers` on
//! anything but Cloud Storage buckets (SEC005), and BigQuery dataset access
//! entries that do the same.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::{Ctx, Resource};
use crate::support::gcp_iam::{grants, is_public_member};
use crate::support::values::blocks;

pub const RULE: Rule = Rule::new(
    "SEC045",
    Severity::High,
    "iam",
    "Google IAM grants access to all users",
)
.help(include_str!("../../../../docs/rules/SEC045.md"));

/// Resources whose IAM comes in `_iam_member`, `_iam_binding` and
/// `_iam_policy` variants, then the BigQuery dataset's own access lists.
const TYPES: [&str; 56] = [
    "google_project_iam_member",
    "google_project_iam_binding",
    "google_project_iam_policy",
    "google_folder_iam_member",
    "google_folder_iam_binding",
    "google_folder_iam_policy",
    "google_organization_iam_member",
    "google_organization_iam_binding",
    "google_organization_iam_policy",
    "google_service_account_iam_member",
    "google_service_account_iam_binding",
    "google_service_account_iam_policy",
    "google_pubsub_topic_iam_member",
    "google_pubsub_topic_iam_binding",
    "google_pubsub_topic_iam_policy",
    "google_pubsub_subscription_iam_member",
    "google_pubsub_subscription_iam_binding",
    "google_pubsub_subscription_iam_policy",
    "google_bigquery_dataset_iam_member",
    "google_bigquery_dataset_iam_binding",
    "google_bigquery_dataset_iam_policy",
    "google_bigquery_table_iam_member",
    "google_bigquery_table_iam_binding",
    "google_bigquery_table_iam_policy",
    "google_kms_crypto_key_iam_member",
    "google_kms_crypto_key_iam_binding",
    "google_kms_crypto_key_iam_policy",
    "google_kms_key_ring_iam_member",
    "google_kms_key_ring_iam_binding",
    "google_kms_key_ring_iam_policy",
    "google_secret_manager_secret_iam_member",
    "google_secret_manager_secret_iam_binding",
    "google_secret_manager_secret_iam_policy",
    "google_cloud_run_service_iam_member",
    "google_cloud_run_service_iam_binding",
    "google_cloud_run_service_iam_policy",
    "google_cloud_run_v2_service_iam_member",
    "google_cloud_run_v2_service_iam_binding",
    "google_cloud_run_v2_service_iam_policy",
    "google_cloudfunctions_function_iam_member",
    "google_cloudfunctions_function_iam_binding",
    "google_cloudfunctions_function_iam_policy",
    "google_cloudfunctions2_function_iam_member",
    "google_cloudfunctions2_function_iam_binding",
    "google_cloudfunctions2_function_iam_policy",
    "google_artifact_registry_repository_iam_member",
    "google_artifact_registry_repository_iam_binding",
    "google_artifact_registry_repository_iam_policy",
    "google_compute_instance_iam_member",
    "google_compute_instance_iam_binding",
    "google_compute_instance_iam_policy",
    "google_spanner_database_iam_member",
    "google_spanner_database_iam_binding",
    "google_spanner_database_iam_policy",
    "google_bigquery_dataset",
    "google_bigquery_dataset_access",
];

/// Roles whose whole purpose on a public HTTP service is to let anyone call it.
const PUBLIC_INVOKER_ROLES: [&str; 2] = ["roles/run.invoker", "roles/cloudfunctions.invoker"];

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &TYPES,
    run,
};

fn run(ctx: &Ctx, out: &mut Findings) {
    for rc in TYPES
        .iter()
        .filter(|t| t.contains("_iam_"))
        .flat_map(|t| ctx.configured(t))
    {
        match grants(&rc) {
            Known(grants) => {
                for grant in grants.iter().filter(|g| is_public_member(&g.member)) {
                    let message = format!("grants `{}` to `{}`", grant.role, grant.member);
                    let finding = out.report(RULE.id, &rc, &grant.path, message);
                    if PUBLIC_INVOKER_ROLES.contains(&grant.role.as_str()) {
                        finding.message = format!(
                            "`{}` may invoke this service: it is a public endpoint; make sure it is meant to be",
                            grant.member
                        );
                        finding.severity(Severity::Low);
                    }
                }
            }
            Unknown => {
                let path = if rc.type_().ends_with("_policy") {
                    "policy_data"
                } else {
                    "members"
                };
                out.indeterminate(RULE.id, &rc, path);
            }
            Absent => {}
        }
    }
    for rc in ctx.configured("google_bigquery_dataset") {
        for (i, entry) in blocks(&rc.after().get("access")).iter().enumerate() {
            judge_dataset_access(&rc, entry, &format!("access.{i}."), out);
        }
    }
    for rc in ctx.configured("google_bigquery_dataset_access") {
        judge_dataset_access(&rc, &rc.after(), "", out);
    }
}

fn judge_dataset_access(rc: &Resource, entry: &Value, prefix: &str, out: &mut Findings) {
    for key in ["special_group", "iam_member"] {
        if let Known(who) = entry.get(key).str()
            && is_public_member(&who)
        {
            out.report(
                RULE.id,
                rc,
                &format!("{prefix}{key}"),
                format!("the dataset is shared with `{who}`"),
            );
        }
    }
}
