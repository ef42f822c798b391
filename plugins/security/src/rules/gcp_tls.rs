//! SEC081: GCP load balancers that accept TLS versions older than 1.2, through
//! an SSL policy or by having none (the default policy accepts TLS 1.0).

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::Ctx;

pub const RULE: Rule = Rule::new(
    "SEC081",
    Severity::Medium,
    "tls",
    "GCP SSL policy allows versions older than 1.2",
)
.help(include_str!("../../../../docs/rules/SEC081.md"));

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &[
        "google_compute_ssl_policy",
        "google_compute_region_ssl_policy",
        "google_compute_target_https_proxy",
        "google_compute_target_ssl_proxy",
    ],
    run,
};

fn run(ctx: &Ctx, out: &mut Findings) {
    for rc in ctx
        .configured("google_compute_ssl_policy")
        .chain(ctx.configured("google_compute_region_ssl_policy"))
    {
        match rc.after().get("min_tls_version").str() {
            Known(version) if version == "TLS_1_0" || version == "TLS_1_1" => {
                out.report(
                    RULE.id,
                    &rc,
                    "min_tls_version",
                    format!("`{version}` lets clients negotiate TLS versions older than 1.2"),
                )
                .fix("min_tls_version", "TLS_1_2");
            }
            // The API's default minimum is TLS 1.0.
            Absent => {
                out.report(
                    RULE.id,
                    &rc,
                    "min_tls_version",
                    "no `min_tls_version`: GCP defaults to TLS 1.0",
                )
                .fix("min_tls_version", "TLS_1_2");
            }
            Unknown => {
                out.indeterminate(RULE.id, &rc, "min_tls_version");
            }
            Known(_) => {}
        }
    }
    for rc in ctx
        .configured("google_compute_target_https_proxy")
        .chain(ctx.configured("google_compute_target_ssl_proxy"))
    {
        match rc.after().get("ssl_policy").str() {
            Known(policy) if !policy.is_empty() => {}
            Unknown => {
                // A policy created in this plan: it is judged on its own.
                if !ctx.configures(&rc, "ssl_policy") {
                    out.indeterminate(RULE.id, &rc, "ssl_policy");
                }
            }
            _ => {
                out.report(
                    RULE.id,
                    &rc,
                    "ssl_policy",
                    "no `ssl_policy`: the GCP default policy accepts TLS 1.0 and 1.1",
                );
            }
        }
    }
}
