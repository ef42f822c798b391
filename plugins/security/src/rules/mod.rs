//! The registry of security checks. Each check lives in its own file, declares
//! the rules it reports and the resource types it reads, and is listed once in
//! `CHECKS`; the plugin's rule list and subscriptions are derived from that
//! list at compile time, so they cannot drift apart.

mod aks_rbac;
mod aws_kms_rotation;
mod aws_tls;
mod azure_container_public;
mod azure_db_firewall;
mod azure_encryption_at_host;
mod azure_key_rotation;
mod azure_storage_account_public;
mod azure_tls;
mod azure_vm_password_auth;
mod azure_wildcard_role;
mod cloudsql_public;
mod cloudsql_tls;
mod cloudtrail;
mod db_encryption;
mod db_public;
mod dynamodb_encryption;
mod ebs_encryption;
mod efs_encryption;
mod eks_public_endpoint;
mod gcp_basic_roles;
mod gcp_default_service_account;
mod gcp_disk_cmek;
mod gcp_kms_rotation;
mod gcp_public_iam;
mod gcp_serial_port;
mod gcp_subnet_flow_logs;
mod gcp_tls;
mod gcs_public_bucket;
mod gcs_uniform_access;
mod gke_legacy_abac;
mod iam_admin_attachment;
mod iam_full_admin;
mod iam_pass_role;
mod iam_trust_anyone;
mod imds;
mod ingress;
mod lambda_url_auth;
mod lb_access_logs;
mod long_lived_credentials;
mod resource_policy_public;
mod s3_bucket_without_public_access_block;
mod s3_encryption_downgrade;
mod s3_public_access_block_off;
mod s3_public_acl;
mod s3_public_bucket_policy;
mod search_cache_encryption;
mod sns_encryption;
mod sqs_encryption;
mod vpc_flow_logs;

use tfwarden_sdk::prelude::*;

use crate::context::Ctx;

/// One file's worth of checking: a rule, or a small family of related rules.
pub struct Check {
    pub rules: &'static [Rule],
    /// The resource types the check reads, including ones it only follows links to.
    pub types: &'static [&'static str],
    pub run: fn(&Ctx, &mut Findings),
}

/// Every check, in rule-id order.
pub const CHECKS: &[Check] = &[
    s3_public_acl::CHECK,
    s3_public_access_block_off::CHECK,
    s3_bucket_without_public_access_block::CHECK,
    s3_public_bucket_policy::CHECK,
    gcs_public_bucket::CHECK,
    gcs_uniform_access::CHECK,
    azure_storage_account_public::CHECK,
    azure_container_public::CHECK,
    ingress::CHECK,
    eks_public_endpoint::CHECK,
    ebs_encryption::CHECK,
    db_encryption::CHECK,
    s3_encryption_downgrade::CHECK,
    efs_encryption::CHECK,
    dynamodb_encryption::CHECK,
    sns_encryption::CHECK,
    sqs_encryption::CHECK,
    gcp_disk_cmek::CHECK,
    azure_encryption_at_host::CHECK,
    search_cache_encryption::CHECK,
    db_public::CHECK,
    cloudsql_public::CHECK,
    azure_db_firewall::CHECK,
    iam_full_admin::CHECK,
    iam_pass_role::CHECK,
    iam_admin_attachment::CHECK,
    iam_trust_anyone::CHECK,
    resource_policy_public::CHECK,
    gcp_public_iam::CHECK,
    gcp_basic_roles::CHECK,
    azure_wildcard_role::CHECK,
    gcp_default_service_account::CHECK,
    long_lived_credentials::CHECK,
    cloudtrail::CHECK,
    vpc_flow_logs::CHECK,
    gcp_subnet_flow_logs::CHECK,
    lb_access_logs::CHECK,
    aws_kms_rotation::CHECK,
    gcp_kms_rotation::CHECK,
    azure_key_rotation::CHECK,
    aws_tls::CHECK,
    gcp_tls::CHECK,
    azure_tls::CHECK,
    cloudsql_tls::CHECK,
    imds::CHECK,
    gcp_serial_port::CHECK,
    gke_legacy_abac::CHECK,
    lambda_url_auth::CHECK,
    azure_vm_password_auth::CHECK,
    aks_rbac::CHECK,
];

/// Every rule of every check.
pub const RULES: [Rule; rule_count()] = all_rules();

/// Every resource type any check reads, without duplicates.
pub const RESOURCE_TYPES: [&str; type_count()] = all_types();

const fn rule_count() -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < CHECKS.len() {
        n += CHECKS[i].rules.len();
        i += 1;
    }
    n
}

const fn all_rules() -> [Rule; rule_count()] {
    let mut out = [Rule::new("", Severity::Info, "", ""); rule_count()];
    let mut n = 0;
    let mut i = 0;
    while i < CHECKS.len() {
        let mut j = 0;
        while j < CHECKS[i].rules.len() {
            out[n] = CHECKS[i].rules[j];
            n += 1;
            j += 1;
        }
        i += 1;
    }
    out
}

/// True when `CHECKS[check].types[index]` appears nowhere earlier, so the
/// counting and the filling pass agree on which duplicates to drop.
const fn is_first_occurrence(check: usize, index: usize) -> bool {
    let wanted = CHECKS[check].types[index];
    let mut i = 0;
    while i <= check {
        let types = CHECKS[i].types;
        let end = if i == check { index } else { types.len() };
        let mut j = 0;
        while j < end {
            if same_str(types[j], wanted) {
                return false;
            }
            j += 1;
        }
        i += 1;
    }
    true
}

const fn type_count() -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < CHECKS.len() {
        let mut j = 0;
        while j < CHECKS[i].types.len() {
            if is_first_occurrence(i, j) {
                n += 1;
            }
            j += 1;
        }
        i += 1;
    }
    n
}

const fn all_types() -> [&'static str; type_count()] {
    let mut out = [""; type_count()];
    let mut n = 0;
    let mut i = 0;
    while i < CHECKS.len() {
        let mut j = 0;
        while j < CHECKS[i].types.len() {
            if is_first_occurrence(i, j) {
                out[n] = CHECKS[i].types[j];
                n += 1;
            }
            j += 1;
        }
        i += 1;
    }
    out
}

const fn same_str(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECTIONS: [&str; 4] = [
        "## What it checks",
        "## Why it matters",
        "## Example",
        "## How to fix",
    ];

    #[test]
    fn rule_ids_are_unique_and_follow_the_scheme() {
        let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        assert!(
            ids.iter().all(|id| id.len() == 6 && id.starts_with("SEC")),
            "{ids:?}"
        );
        ids.sort();
        let before = ids.len();
        ids.dedup();
        assert_eq!(before, ids.len(), "duplicate rule ids");
    }

    #[test]
    fn every_rule_has_a_page_with_the_standard_sections() {
        for rule in RULES {
            let heading = format!("# {}: {}\n", rule.id, rule.title);
            assert!(
                rule.help.starts_with(&heading),
                "{}: page must start with `{heading}`",
                rule.id
            );
            let sections: Vec<&str> = rule.help.lines().filter(|l| l.starts_with("## ")).collect();
            assert_eq!(sections, SECTIONS, "{}: sections", rule.id);
            let example = rule.help.split("## Example").nth(1).unwrap_or_default();
            assert!(
                example.contains("Failing:")
                    && example.contains("Passing:")
                    && example.matches("```hcl").count() >= 2,
                "{}: the example needs a failing and a passing HCL snippet",
                rule.id
            );
        }
    }

    #[test]
    fn subscriptions_are_distinct_and_cover_every_check() {
        let mut types = RESOURCE_TYPES.to_vec();
        types.sort();
        types.dedup();
        assert_eq!(types.len(), RESOURCE_TYPES.len());
        for check in CHECKS {
            assert!(check.types.iter().all(|t| RESOURCE_TYPES.contains(t)));
        }
    }
}
