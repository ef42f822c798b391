//! SEC084: a Cloud SQL instance that accepts unencrypted connections.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::Ctx;

pub const RULE: Rule = Rule::new(
    "SEC084",
    Severity::Medium,
    "tls",
    "Cloud SQL accepts unencrypted connections",
)
.help(include_str!("../../../../docs/rules/SEC084.md"));

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &["google_sql_database_instance"],
    run,
};

fn run(ctx: &Ctx, out: &mut Findings) {
    for rc in ctx.configured("google_sql_database_instance") {
        let ip = rc.after().path("settings.0.ip_configuration.0");
        let prefix = "settings.0.ip_configuration.0.";
        // `ssl_mode` (provider v5 and later) supersedes `require_ssl`.
        match ip.get("ssl_mode").str() {
            Known(mode) if mode == "ALLOW_UNENCRYPTED_AND_ENCRYPTED" => {
                out.report(
                    RULE.id,
                    &rc,
                    &format!("{prefix}ssl_mode"),
                    "`ALLOW_UNENCRYPTED_AND_ENCRYPTED` lets clients connect without TLS",
                )
                .fix(&format!("{prefix}ssl_mode"), "ENCRYPTED_ONLY");
            }
            Known(_) => {}
            _ => {
                if ip.get("require_ssl").bool() == Known(false) {
                    out.report(
                        RULE.id,
                        &rc,
                        &format!("{prefix}require_ssl"),
                        "`require_ssl = false` lets clients connect without TLS",
                    )
                    .fix(&format!("{prefix}require_ssl"), true);
                }
            }
        }
    }
}
