//! SEC082–SEC083: Azure services that accept TLS older than 1.2 or do not
//! enforce TLS at all, and storage accounts that accept plain HTTP.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::Ctx;

pub const OLD_TLS: Rule = Rule::new(
    "SEC082",
    Severity::Medium,
    "tls",
    "Azure minimum TLS version is below 1.2",
)
.help(include_str!("../../../../docs/rules/SEC082.md"));
pub const PLAIN_HTTP: Rule = Rule::new(
    "SEC083",
    Severity::Medium,
    "tls",
    "Azure storage account accepts plain HTTP",
)
.help(include_str!("../../../../docs/rules/SEC083.md"));

/// Where each resource type keeps its minimum TLS version.
const MINIMUM_VERSIONS: [(&str, &str); 14] = [
    ("azurerm_storage_account", "min_tls_version"),
    ("azurerm_mssql_server", "minimum_tls_version"),
    ("azurerm_sql_server", "minimum_tls_version"),
    ("azurerm_redis_cache", "minimum_tls_version"),
    (
        "azurerm_postgresql_server",
        "ssl_minimal_tls_version_enforced",
    ),
    ("azurerm_mysql_server", "ssl_minimal_tls_version_enforced"),
    ("azurerm_eventhub_namespace", "minimum_tls_version"),
    ("azurerm_servicebus_namespace", "minimum_tls_version"),
    ("azurerm_app_service", "site_config.0.min_tls_version"),
    ("azurerm_function_app", "site_config.0.min_tls_version"),
    ("azurerm_linux_web_app", "site_config.0.minimum_tls_version"),
    (
        "azurerm_windows_web_app",
        "site_config.0.minimum_tls_version",
    ),
    (
        "azurerm_linux_function_app",
        "site_config.0.minimum_tls_version",
    ),
    (
        "azurerm_windows_function_app",
        "site_config.0.minimum_tls_version",
    ),
];

/// Spellings of "older than 1.2" or "not enforced" across Azure's APIs.
const OLD_VERSIONS: [&str; 6] = [
    "1.0",
    "1.1",
    "TLS1_0",
    "TLS1_1",
    "Disabled",
    "TLSEnforcementDisabled",
];

pub const CHECK: Check = Check {
    rules: &[OLD_TLS, PLAIN_HTTP],
    types: &[
        "azurerm_storage_account",
        "azurerm_mssql_server",
        "azurerm_sql_server",
        "azurerm_redis_cache",
        "azurerm_postgresql_server",
        "azurerm_mysql_server",
        "azurerm_eventhub_namespace",
        "azurerm_servicebus_namespace",
        "azurerm_app_service",
        "azurerm_function_app",
        "azurerm_linux_web_app",
        "azurerm_windows_web_app",
        "azurerm_linux_function_app",
        "azurerm_windows_function_app",
    ],
    run,
};

fn run(ctx: &Ctx, out: &mut Findings) {
    for (type_, path) in MINIMUM_VERSIONS {
        for rc in ctx.configured(type_) {
            let after = rc.after();
            // PostgreSQL and MySQL single servers can switch TLS off entirely.
            if after.get("ssl_enforcement_enabled").bool() == Known(false) {
                out.report(
                    OLD_TLS.id,
                    &rc,
                    "ssl_enforcement_enabled",
                    "TLS is not enforced: clients may connect unencrypted",
                )
                .fix("ssl_enforcement_enabled", true);
                continue;
            }
            match after.path(path).str() {
                Known(version) if OLD_VERSIONS.contains(&version.as_ref()) => {
                    out.report(
                        OLD_TLS.id,
                        &rc,
                        path,
                        format!("minimum TLS version `{version}` accepts versions older than 1.2"),
                    );
                }
                Unknown if ctx.configures(&rc, path) => {
                    out.indeterminate(OLD_TLS.id, &rc, path);
                }
                _ => {}
            }
        }
    }
    for rc in ctx.configured("azurerm_storage_account") {
        let after = rc.after();
        // azurerm v4 renamed `enable_https_traffic_only` to `https_traffic_only_enabled`.
        for switch in ["https_traffic_only_enabled", "enable_https_traffic_only"] {
            match after.get(switch).bool() {
                Known(false) => {
                    out.report(PLAIN_HTTP.id, &rc, switch, "the account accepts requests over plain HTTP, including shared keys and SAS tokens")
                        .fix(switch, true);
                }
                Unknown => {
                    out.indeterminate(PLAIN_HTTP.id, &rc, switch);
                }
                _ => continue,
            }
            break;
        }
    }
}
