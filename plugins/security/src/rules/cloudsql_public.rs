//! SEC031: a Cloud SQL instance with a public IP that authorises connections
//! from the whole internet.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::Ctx;
use crate::support::net::is_internet_cidr;
use crate::support::values::blocks;

pub const RULE: Rule = Rule::new(
    "SEC031",
    Severity::High,
    "network",
    "Cloud SQL instance accepts connections from the internet",
)
.help(include_str!("../../../../docs/rules/SEC031.md"));

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &["google_sql_database_instance"],
    run,
};

fn run(ctx: &Ctx, out: &mut Findings) {
    for rc in ctx.configured("google_sql_database_instance") {
        let ip = rc.after().path("settings.0.ip_configuration.0");
        // Without a public IPv4 address the authorised networks have no effect.
        if ip.get("ipv4_enabled").bool() == Known(false) {
            continue;
        }
        for (i, network) in blocks(&ip.get("authorized_networks")).iter().enumerate() {
            let path = format!("settings.0.ip_configuration.0.authorized_networks.{i}.value");
            match network.get("value").str() {
                Known(cidr) if is_internet_cidr(&cidr) => {
                    out.report(
                        RULE.id,
                        &rc,
                        &path,
                        format!(
                            "authorised network `{cidr}` lets any address connect to the public IP"
                        ),
                    );
                }
                Unknown => {
                    out.indeterminate(RULE.id, &rc, &path);
                }
                _ => {}
            }
        }
    }
}
