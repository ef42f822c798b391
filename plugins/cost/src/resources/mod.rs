//! Every resource type the plugin knows: how to price it, which usage
//! figures it takes, and which attributes name its instance type or SKU.
//!
//! Adding a type means writing its pricer and adding one row to `PRICERS`.

pub mod aws;
pub mod azure;
pub mod context;
pub mod google;

use crate::estimate::{Component, NotPriced};
use crate::fields::Fields;
use context::Ctx;

pub type PriceFn = fn(&Ctx, &Fields) -> Result<Vec<Component>, NotPriced>;

/// What the plugin does with one resource type.
#[derive(Clone, Copy)]
pub enum Kind {
    /// Priced by this function.
    Priced(PriceFn),
    /// Costs nothing itself but priced resources refer to it (launch
    /// templates, resource groups), or may name a denied SKU.
    Helper,
}

pub struct Pricer {
    pub type_: &'static str,
    pub kind: Kind,
    /// Usage figures the settings may give for this type.
    pub usage_keys: &'static [&'static str],
    /// Attribute paths naming an instance type or SKU, for COST004; `*`
    /// stands for every element of a list.
    pub sku_paths: &'static [&'static str],
}

const fn priced(
    type_: &'static str,
    f: PriceFn,
    usage_keys: &'static [&'static str],
    sku_paths: &'static [&'static str],
) -> Pricer {
    Pricer {
        type_,
        kind: Kind::Priced(f),
        usage_keys,
        sku_paths,
    }
}

const fn helper(type_: &'static str, sku_paths: &'static [&'static str]) -> Pricer {
    Pricer {
        type_,
        kind: Kind::Helper,
        usage_keys: &[],
        sku_paths,
    }
}

use aws::{
    asg, dynamodb, ebs, efs, eks, elasticache, instance, lambda, logs, msk, network as aws_net,
    opensearch, rds, s3,
};
use azure::{aks, database, disk, network as azure_net, vm};
use google::{compute, gke, network as gcp_net, sql, storage};

/// Sorted by type, for binary search.
#[rustfmt::skip]
const PRICERS: &[Pricer] = &[
    priced("aws_alb", aws_net::load_balancer, aws_net::LB_USAGE, aws_net::LB_SKU),
    priced("aws_autoscaling_group", asg::price, asg::USAGE, asg::SKU),
    priced("aws_cloudwatch_log_group", logs::price, logs::USAGE, logs::SKU),
    priced("aws_db_instance", rds::instance, rds::INSTANCE_USAGE, rds::INSTANCE_SKU),
    priced("aws_dynamodb_table", dynamodb::price, dynamodb::USAGE, dynamodb::SKU),
    priced("aws_ebs_volume", ebs::price, ebs::USAGE, ebs::SKU),
    priced("aws_efs_file_system", efs::price, efs::USAGE, efs::SKU),
    priced("aws_eip", aws_net::elastic_ip, aws_net::EIP_USAGE, aws_net::NO_SKU),
    priced("aws_eks_cluster", eks::cluster, eks::CLUSTER_USAGE, eks::CLUSTER_SKU),
    priced("aws_eks_node_group", eks::node_group, eks::NODE_GROUP_USAGE, eks::NODE_GROUP_SKU),
    priced("aws_elasticache_cluster", elasticache::cluster, elasticache::USAGE, elasticache::SKU),
    priced("aws_elasticache_replication_group", elasticache::replication_group, elasticache::USAGE, elasticache::SKU),
    priced("aws_elasticsearch_domain", opensearch::price, opensearch::USAGE, opensearch::SKU),
    priced("aws_elb", aws_net::classic_load_balancer, aws_net::ELB_USAGE, aws_net::NO_SKU),
    priced("aws_instance", instance::price, instance::USAGE, instance::SKU),
    priced("aws_lambda_function", lambda::price, lambda::USAGE, lambda::SKU),
    helper("aws_launch_configuration", &["instance_type"]),
    helper("aws_launch_template", &["instance_type"]),
    priced("aws_lb", aws_net::load_balancer, aws_net::LB_USAGE, aws_net::LB_SKU),
    priced("aws_msk_cluster", msk::price, msk::USAGE, msk::SKU),
    priced("aws_nat_gateway", aws_net::nat_gateway, aws_net::NAT_USAGE, aws_net::NO_SKU),
    priced("aws_opensearch_domain", opensearch::price, opensearch::USAGE, opensearch::SKU),
    priced("aws_rds_cluster", rds::cluster, rds::CLUSTER_USAGE, rds::CLUSTER_SKU),
    priced("aws_rds_cluster_instance", rds::cluster_instance, rds::CLUSTER_INSTANCE_USAGE, rds::CLUSTER_INSTANCE_SKU),
    priced("aws_s3_bucket", s3::price, s3::USAGE, s3::SKU),
    priced("aws_vpc_endpoint", aws_net::vpc_endpoint, aws_net::VPCE_USAGE, aws_net::NO_SKU),
    priced("azurerm_kubernetes_cluster", aks::cluster, aks::CLUSTER_USAGE, aks::CLUSTER_SKU),
    priced("azurerm_kubernetes_cluster_node_pool", aks::node_pool, aks::NODE_POOL_USAGE, aks::NODE_POOL_SKU),
    priced("azurerm_linux_virtual_machine", vm::linux_vm, vm::VM_USAGE, vm::VM_SKU),
    priced("azurerm_linux_virtual_machine_scale_set", vm::linux_scale_set, vm::SCALE_SET_USAGE, vm::SCALE_SET_SKU),
    priced("azurerm_managed_disk", disk::managed_disk, disk::USAGE, disk::SKU),
    priced("azurerm_mysql_flexible_server", database::mysql, database::USAGE, database::SKU),
    priced("azurerm_nat_gateway", azure_net::nat_gateway, azure_net::NAT_USAGE, azure_net::NAT_SKU),
    priced("azurerm_postgresql_flexible_server", database::postgres, database::USAGE, database::SKU),
    priced("azurerm_public_ip", azure_net::public_ip, azure_net::PUBLIC_IP_USAGE, azure_net::PUBLIC_IP_SKU),
    helper("azurerm_resource_group", &[]),
    priced("azurerm_windows_virtual_machine", vm::windows_vm, vm::VM_USAGE, vm::VM_SKU),
    priced("azurerm_windows_virtual_machine_scale_set", vm::windows_scale_set, vm::SCALE_SET_USAGE, vm::SCALE_SET_SKU),
    priced("google_compute_address", gcp_net::address, gcp_net::ADDRESS_USAGE, gcp_net::NO_SKU),
    priced("google_compute_disk", compute::disk, compute::DISK_USAGE, compute::DISK_SKU),
    priced("google_compute_global_address", gcp_net::address, gcp_net::ADDRESS_USAGE, gcp_net::NO_SKU),
    priced("google_compute_instance", compute::instance, compute::INSTANCE_USAGE, compute::INSTANCE_SKU),
    priced("google_compute_router_nat", gcp_net::router_nat, gcp_net::NAT_USAGE, gcp_net::NO_SKU),
    priced("google_container_cluster", gke::cluster, gke::CLUSTER_USAGE, gke::CLUSTER_SKU),
    priced("google_container_node_pool", gke::node_pool, gke::NODE_POOL_USAGE, gke::NODE_POOL_SKU),
    priced("google_sql_database_instance", sql::price, sql::USAGE, sql::SKU),
    priced("google_storage_bucket", storage::price, storage::USAGE, storage::SKU),
];

/// The pricer of a resource type, if the plugin knows the type.
pub fn pricer(type_: &str) -> Option<&'static Pricer> {
    PRICERS
        .binary_search_by(|p| p.type_.cmp(type_))
        .ok()
        .map(|i| &PRICERS[i])
}

/// Every type the plugin prices (helpers excluded).
pub fn priced_types() -> impl Iterator<Item = &'static str> {
    PRICERS
        .iter()
        .filter(|p| matches!(p.kind, Kind::Priced(_)))
        .map(|p| p.type_)
}

/// Types with a fixed monthly charge that the plugin does not price yet: they
/// are listed as not priced and keep budget verdicts open.
pub const UNSUPPORTED_FIXED: &[&str] = &[
    "aws_docdb_cluster_instance",
    "aws_dx_connection",
    "aws_ec2_client_vpn_endpoint",
    "aws_ec2_host",
    "aws_ec2_transit_gateway",
    "aws_ec2_transit_gateway_vpc_attachment",
    "aws_ecs_service",
    "aws_eks_fargate_profile",
    "aws_emr_cluster",
    "aws_fsx_lustre_file_system",
    "aws_fsx_ontap_file_system",
    "aws_fsx_openzfs_file_system",
    "aws_fsx_windows_file_system",
    "aws_globalaccelerator_accelerator",
    "aws_kinesis_stream",
    "aws_kms_key",
    "aws_mq_broker",
    "aws_neptune_cluster_instance",
    "aws_networkfirewall_firewall",
    "aws_redshift_cluster",
    "aws_route53_zone",
    "aws_sagemaker_endpoint",
    "aws_sagemaker_notebook_instance",
    "aws_secretsmanager_secret",
    "aws_transfer_server",
    "aws_vpn_connection",
    "aws_wafv2_web_acl",
    "aws_workspaces_workspace",
    "azurerm_api_management",
    "azurerm_app_service_plan",
    "azurerm_application_gateway",
    "azurerm_bastion_host",
    "azurerm_container_registry",
    "azurerm_cosmosdb_account",
    "azurerm_databricks_workspace",
    "azurerm_dns_zone",
    "azurerm_express_route_circuit",
    "azurerm_firewall",
    "azurerm_kusto_cluster",
    "azurerm_lb",
    "azurerm_mssql_database",
    "azurerm_mssql_elasticpool",
    "azurerm_mssql_managed_instance",
    "azurerm_mysql_server",
    "azurerm_postgresql_server",
    "azurerm_private_endpoint",
    "azurerm_public_ip_prefix",
    "azurerm_redis_cache",
    "azurerm_service_plan",
    "azurerm_sql_database",
    "azurerm_virtual_machine",
    "azurerm_virtual_machine_scale_set",
    "azurerm_virtual_network_gateway",
    "google_alloydb_instance",
    "google_bigtable_instance",
    "google_composer_environment",
    "google_compute_forwarding_rule",
    "google_compute_global_forwarding_rule",
    "google_compute_instance_group_manager",
    "google_compute_region_disk",
    "google_compute_region_instance_group_manager",
    "google_compute_vpn_tunnel",
    "google_dataproc_cluster",
    "google_dns_managed_zone",
    "google_filestore_instance",
    "google_memcache_instance",
    "google_redis_instance",
    "google_spanner_instance",
];

/// Types billed only by usage that the plugin does not price yet: listed as
/// depending on usage, without a unit price, and not holding budgets open.
pub const UNSUPPORTED_USAGE_ONLY: &[&str] = &[
    "aws_api_gateway_rest_api",
    "aws_apigatewayv2_api",
    "aws_cloudfront_distribution",
    "aws_cloudwatch_metric_alarm",
    "aws_ebs_snapshot",
    "aws_ecr_repository",
    "aws_kinesis_firehose_delivery_stream",
    "aws_route53_record",
    "aws_sfn_state_machine",
    "aws_sns_topic",
    "aws_sqs_queue",
    "azurerm_function_app",
    "azurerm_key_vault",
    "azurerm_linux_function_app",
    "azurerm_log_analytics_workspace",
    "azurerm_storage_account",
    "azurerm_windows_function_app",
    "google_bigquery_dataset",
    "google_bigquery_table",
    "google_cloud_run_service",
    "google_cloud_run_v2_service",
    "google_cloudfunctions2_function",
    "google_cloudfunctions_function",
    "google_compute_snapshot",
    "google_kms_crypto_key",
    "google_pubsub_subscription",
    "google_pubsub_topic",
    "google_secret_manager_secret",
];

const SUBSCRIBED_COUNT: usize =
    PRICERS.len() + UNSUPPORTED_FIXED.len() + UNSUPPORTED_USAGE_ONLY.len();

/// Every type the plugin subscribes to: priced, helper and unsupported ones.
/// Built from the lists above at compile time so it cannot drift from them.
pub const SUBSCRIBED: [&str; SUBSCRIBED_COUNT] = subscribed();

const fn subscribed() -> [&'static str; SUBSCRIBED_COUNT] {
    let mut out = [""; SUBSCRIBED_COUNT];
    let mut i = 0;
    while i < PRICERS.len() {
        out[i] = PRICERS[i].type_;
        i += 1;
    }
    let mut j = 0;
    while j < UNSUPPORTED_FIXED.len() {
        out[i + j] = UNSUPPORTED_FIXED[j];
        j += 1;
    }
    let mut k = 0;
    while k < UNSUPPORTED_USAGE_ONLY.len() {
        out[i + j + k] = UNSUPPORTED_USAGE_ONLY[k];
        k += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pricers_are_sorted_and_lists_do_not_overlap() {
        for pair in PRICERS.windows(2) {
            assert!(
                pair[0].type_ < pair[1].type_,
                "{} then {}",
                pair[0].type_,
                pair[1].type_
            );
        }
        for t in UNSUPPORTED_FIXED.iter().chain(UNSUPPORTED_USAGE_ONLY) {
            assert!(pricer(t).is_none(), "{t} is both priced and unsupported");
        }
        assert!(priced_types().count() >= 30);
    }
}
