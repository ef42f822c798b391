//! What users can change: every limit (for accounts whose quotas were raised),
//! the blast-radius thresholds, and which types count as stateful or as alerts.
//!
//! Defaults are the documented AWS quotas. Settings are validated once, at load,
//! so a typo fails before any plan is checked.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

/// The settings as users write them in `tfwarden.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Distinct target groups that the listeners of one Application Load Balancer forward to.
    pub max_target_groups_per_load_balancer: u64,
    /// Listener rules of one Application Load Balancer, default rules excluded.
    pub max_rules_per_load_balancer: u64,
    /// Characters of one IAM managed policy document, white space excluded.
    pub max_managed_policy_chars: u64,
    /// Characters of all inline policies of one IAM role together, white space excluded.
    pub max_role_inline_policy_chars: u64,
    /// The same for an IAM user.
    pub max_user_inline_policy_chars: u64,
    /// The same for an IAM group.
    pub max_group_inline_policy_chars: u64,
    /// Rules of one security group in one direction, for IPv4 and for IPv6 separately.
    pub max_security_group_rules: u64,
    /// Bytes of one S3 bucket policy.
    pub max_bucket_policy_bytes: u64,
    /// Tags on one AWS resource.
    pub max_tags: u64,
    /// Tag limits of particular types, added to (or replacing) the built-in ones.
    pub max_tags_by_type: BTreeMap<String, u64>,
    /// Bytes of one Lambda function's environment variables.
    pub max_lambda_environment_bytes: u64,
    /// Deletes and replaces one plan may make before it is flagged.
    pub max_destroys: u64,
    /// Monitoring alerts one plan may create before it is flagged.
    pub max_created_alerts: u64,
    /// Types to treat as stateful besides the built-in list.
    pub extra_stateful_types: Vec<String>,
    /// Built-in stateful types not to treat as stateful.
    pub ignored_stateful_types: Vec<String>,
    /// Types to count as monitoring alerts besides the built-in list.
    pub extra_alert_types: Vec<String>,
    /// Built-in alert types not to count.
    pub ignored_alert_types: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            max_target_groups_per_load_balancer: 100,
            max_rules_per_load_balancer: 100,
            max_managed_policy_chars: 6_144,
            max_role_inline_policy_chars: 10_240,
            max_user_inline_policy_chars: 2_048,
            max_group_inline_policy_chars: 5_120,
            max_security_group_rules: 60,
            max_bucket_policy_bytes: 20 * 1024,
            max_tags: 50,
            max_tags_by_type: BTreeMap::new(),
            max_lambda_environment_bytes: 4 * 1024,
            max_destroys: 10,
            max_created_alerts: 50,
            extra_stateful_types: Vec::new(),
            ignored_stateful_types: Vec::new(),
            extra_alert_types: Vec::new(),
            ignored_alert_types: Vec::new(),
        }
    }
}

/// Types whose delete or replace loses data: databases, buckets, volumes,
/// file systems, keys and DNS zones.
pub const STATEFUL_TYPES: &[&str] = &[
    // Databases and data stores.
    "aws_db_instance",
    "aws_rds_cluster",
    "aws_dynamodb_table",
    "aws_elasticache_cluster",
    "aws_elasticache_replication_group",
    "aws_redshift_cluster",
    "aws_docdb_cluster",
    "aws_neptune_cluster",
    "aws_memorydb_cluster",
    "aws_opensearch_domain",
    "aws_elasticsearch_domain",
    "aws_keyspaces_table",
    "aws_timestream_table",
    "google_sql_database_instance",
    "google_sql_database",
    "google_spanner_instance",
    "google_spanner_database",
    "google_bigtable_instance",
    "google_bigtable_table",
    "google_bigquery_dataset",
    "google_bigquery_table",
    "google_firestore_database",
    "google_redis_instance",
    "azurerm_mssql_server",
    "azurerm_mssql_database",
    "azurerm_postgresql_server",
    "azurerm_postgresql_database",
    "azurerm_postgresql_flexible_server",
    "azurerm_mysql_server",
    "azurerm_mysql_database",
    "azurerm_mysql_flexible_server",
    "azurerm_cosmosdb_account",
    "azurerm_redis_cache",
    // Buckets and object stores.
    "aws_s3_bucket",
    "google_storage_bucket",
    "azurerm_storage_account",
    "azurerm_storage_container",
    // Volumes.
    "aws_ebs_volume",
    "google_compute_disk",
    "google_compute_region_disk",
    "azurerm_managed_disk",
    // File systems.
    "aws_efs_file_system",
    "aws_fsx_lustre_file_system",
    "aws_fsx_windows_file_system",
    "aws_fsx_ontap_file_system",
    "aws_fsx_openzfs_file_system",
    "google_filestore_instance",
    "azurerm_storage_share",
    // Keys: what they encrypted becomes unreadable.
    "aws_kms_key",
    "google_kms_crypto_key",
    "google_kms_key_ring",
    "azurerm_key_vault",
    "azurerm_key_vault_key",
    // DNS zones: records go, and a new zone gets new name servers.
    "aws_route53_zone",
    "google_dns_managed_zone",
    "azurerm_dns_zone",
    "azurerm_private_dns_zone",
];

/// Types that create one monitoring alert each.
pub const ALERT_TYPES: &[&str] = &[
    "aws_cloudwatch_metric_alarm",
    "aws_cloudwatch_composite_alarm",
    "datadog_monitor",
    "datadog_monitor_json",
    "google_monitoring_alert_policy",
    "azurerm_monitor_metric_alert",
    "azurerm_monitor_activity_log_alert",
    "azurerm_monitor_scheduled_query_rules_alert",
    "azurerm_monitor_scheduled_query_rules_alert_v2",
    "newrelic_alert_condition",
    "newrelic_nrql_alert_condition",
    "signalfx_detector",
    "sumologic_monitor",
    "grafana_rule_group",
    "honeycombio_trigger",
];

/// Tag limits that differ from the general one.
const TAG_LIMITS_BY_TYPE: &[(&str, u64)] = &[("aws_s3_object", 10), ("aws_s3_bucket_object", 10)];

/// Settings checked and resolved into what the checks use.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub limits: Settings,
    pub stateful_types: BTreeSet<String>,
    pub alert_types: BTreeSet<String>,
    pub tag_limits_by_type: BTreeMap<String, u64>,
}

impl Resolved {
    /// The tag limit of resource type `type_`.
    pub fn tag_limit(&self, type_: &str) -> u64 {
        self.tag_limits_by_type
            .get(type_)
            .copied()
            .unwrap_or(self.limits.max_tags)
    }
}

/// Checks `settings` and resolves the type lists, or says which setting is wrong and how to fix it.
pub fn resolve(settings: Settings) -> Result<Resolved, String> {
    let quotas = [
        (
            "max_target_groups_per_load_balancer",
            settings.max_target_groups_per_load_balancer,
        ),
        (
            "max_rules_per_load_balancer",
            settings.max_rules_per_load_balancer,
        ),
        (
            "max_managed_policy_chars",
            settings.max_managed_policy_chars,
        ),
        (
            "max_role_inline_policy_chars",
            settings.max_role_inline_policy_chars,
        ),
        (
            "max_user_inline_policy_chars",
            settings.max_user_inline_policy_chars,
        ),
        (
            "max_group_inline_policy_chars",
            settings.max_group_inline_policy_chars,
        ),
        (
            "max_security_group_rules",
            settings.max_security_group_rules,
        ),
        ("max_bucket_policy_bytes", settings.max_bucket_policy_bytes),
        ("max_tags", settings.max_tags),
        (
            "max_lambda_environment_bytes",
            settings.max_lambda_environment_bytes,
        ),
    ];
    for (name, value) in quotas {
        if value == 0 {
            return Err(format!(
                "`{name}` is 0, which no resource can meet; set it to your account's quota, or remove it to use the AWS default"
            ));
        }
    }
    for (type_, &limit) in &settings.max_tags_by_type {
        check_type_name("max_tags_by_type", type_)?;
        if limit == 0 {
            return Err(format!(
                "`max_tags_by_type.{type_}` is 0; set it to the type's tag quota, or remove the entry"
            ));
        }
    }
    let stateful_types = resolve_types(
        STATEFUL_TYPES,
        &settings.extra_stateful_types,
        &settings.ignored_stateful_types,
        ("extra_stateful_types", "ignored_stateful_types"),
    )?;
    let alert_types = resolve_types(
        ALERT_TYPES,
        &settings.extra_alert_types,
        &settings.ignored_alert_types,
        ("extra_alert_types", "ignored_alert_types"),
    )?;
    let mut tag_limits_by_type: BTreeMap<String, u64> = TAG_LIMITS_BY_TYPE
        .iter()
        .map(|(t, n)| (t.to_string(), *n))
        .collect();
    tag_limits_by_type.extend(settings.max_tags_by_type.clone());
    Ok(Resolved {
        limits: settings,
        stateful_types,
        alert_types,
        tag_limits_by_type,
    })
}

/// The built-in list, plus `extra`, minus `ignored`.
fn resolve_types(
    built_in: &[&str],
    extra: &[String],
    ignored: &[String],
    (extra_name, ignored_name): (&str, &str),
) -> Result<BTreeSet<String>, String> {
    let mut types: BTreeSet<String> = built_in.iter().map(|t| t.to_string()).collect();
    for t in extra {
        check_type_name(extra_name, t)?;
        if ignored.contains(t) {
            return Err(format!(
                "`{t}` is in both `{extra_name}` and `{ignored_name}`; keep it in one"
            ));
        }
        types.insert(t.clone());
    }
    for t in ignored {
        check_type_name(ignored_name, t)?;
        if !types.remove(t) {
            return Err(format!(
                "`{ignored_name}` lists `{t}`, which is not in the built-in list; check the spelling or remove it"
            ));
        }
    }
    Ok(types)
}

/// Resource types are lowercase words joined by underscores, starting with the provider.
fn check_type_name(setting: &str, type_: &str) -> Result<(), String> {
    let well_formed = type_.contains('_')
        && type_
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && type_.starts_with(|c: char| c.is_ascii_lowercase());
    if well_formed {
        Ok(())
    } else {
        Err(format!(
            "`{setting}` has `{type_}`, which is not a resource type; write types as in the plan, such as `aws_db_instance`"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<Resolved, String> {
        let settings: Settings = serde_json::from_str(json).map_err(|e| e.to_string())?;
        resolve(settings)
    }

    #[test]
    fn defaults_are_the_aws_quotas() {
        let r = parse("{}").unwrap();
        assert_eq!(r.limits, Settings::default());
        assert_eq!(r.tag_limit("aws_s3_object"), 10);
        assert_eq!(r.tag_limit("aws_instance"), 50);
        assert!(r.stateful_types.contains("aws_db_instance"));
        assert!(r.alert_types.contains("datadog_monitor"));
    }

    #[test]
    fn type_lists_extend_and_shrink() {
        let r = parse(
            r#"{"extra_stateful_types":["aws_ecr_repository"],"ignored_stateful_types":["aws_kms_key"],
                "extra_alert_types":["opsgenie_alert_policy"],"max_tags_by_type":{"aws_s3_object":5,"aws_instance":40}}"#,
        )
        .unwrap();
        assert!(r.stateful_types.contains("aws_ecr_repository"));
        assert!(!r.stateful_types.contains("aws_kms_key"));
        assert!(r.alert_types.contains("opsgenie_alert_policy"));
        assert_eq!(r.tag_limit("aws_s3_object"), 5);
        assert_eq!(r.tag_limit("aws_instance"), 40);
        assert_eq!(r.tag_limit("aws_s3_bucket_object"), 10);
    }

    #[test]
    fn mistakes_name_the_setting_and_the_fix() {
        let err = parse(r#"{"max_tags":0}"#).unwrap_err();
        assert!(
            err.contains("`max_tags`") && err.contains("remove it"),
            "{err}"
        );
        let err = parse(r#"{"ignored_stateful_types":["aws_db_instanse"]}"#).unwrap_err();
        assert!(
            err.contains("ignored_stateful_types") && err.contains("spelling"),
            "{err}"
        );
        let err = parse(r#"{"extra_alert_types":["Datadog Monitor"]}"#).unwrap_err();
        assert!(err.contains("extra_alert_types"), "{err}");
        let err =
            parse(r#"{"extra_alert_types":["x_y"],"ignored_alert_types":["x_y"]}"#).unwrap_err();
        assert!(err.contains("both"), "{err}");
        let err = parse(r#"{"max_tag":3}"#).unwrap_err();
        assert!(err.contains("unknown field"), "{err}");
    }
}
