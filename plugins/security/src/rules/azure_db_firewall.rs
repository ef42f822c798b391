//! SEC032: Azure SQL, PostgreSQL, MySQL, MariaDB, Synapse and Redis firewall
//! rules whose address range spans the internet.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::Ctx;
use crate::support::net::ipv4;

pub const RULE: Rule = Rule::new(
    "SEC032",
    Severity::High,
    "network",
    "Azure database firewall allows the whole internet",
)
.help(include_str!("../../../../docs/rules/SEC032.md"));

const TYPES: [&str; 9] = [
    "azurerm_sql_firewall_rule",
    "azurerm_mssql_firewall_rule",
    "azurerm_postgresql_firewall_rule",
    "azurerm_postgresql_flexible_server_firewall_rule",
    "azurerm_mysql_firewall_rule",
    "azurerm_mysql_flexible_server_firewall_rule",
    "azurerm_mariadb_firewall_rule",
    "azurerm_synapse_firewall_rule",
    "azurerm_redis_firewall_rule",
];

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &TYPES,
    run,
};

/// Half of the IPv4 space: a range this wide is "the internet" for any purpose.
const INTERNET_WIDE: u64 = 1 << 31;

fn run(ctx: &Ctx, out: &mut Findings) {
    for rc in TYPES.iter().flat_map(|t| ctx.configured(t)) {
        let after = rc.after();
        let (start, end) = (
            after.get("start_ip_address").str(),
            after.get("end_ip_address").str(),
        );
        match (&start, &end) {
            (Known(start), Known(end)) => {
                let (Some(from), Some(to)) = (ipv4(start), ipv4(end)) else {
                    continue;
                };
                if to >= from && u64::from(to - from) + 1 >= INTERNET_WIDE {
                    out.report(
                        RULE.id,
                        &rc,
                        "start_ip_address",
                        format!(
                            "the range {start}-{end} lets most of the internet reach the server"
                        ),
                    );
                }
            }
            (Unknown, _) => {
                out.indeterminate(RULE.id, &rc, "start_ip_address");
            }
            (_, Unknown) => {
                out.indeterminate(RULE.id, &rc, "end_ip_address");
            }
            _ => {}
        }
    }
}
