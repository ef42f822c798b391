//! SEC080: AWS endpoints whose TLS policy still accepts TLS 1.0 or 1.1: load
//! balancer listeners, CloudFront, API Gateway and OpenSearch domains.

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::Ctx;

pub const RULE: Rule = Rule::new(
    "SEC080",
    Severity::Medium,
    "tls",
    "AWS TLS policy allows versions older than 1.2",
)
.help(include_str!("../../../../docs/rules/SEC080.md"));

pub const CHECK: Check = Check {
    rules: &[RULE],
    types: &[
        "aws_lb_listener",
        "aws_alb_listener",
        "aws_cloudfront_distribution",
        "aws_api_gateway_domain_name",
        "aws_elasticsearch_domain",
        "aws_opensearch_domain",
    ],
    run,
};

/// Load balancer policies name their lowest TLS version (`TLS13-1-2`,
/// `FS-1-2`); the undated-version ones (`2016-08`, `FS-2018-06`) all accept TLS 1.0.
fn elb_policy_is_modern(policy: &str) -> bool {
    policy.contains("-1-2-") || policy.contains("-1-3-")
}

const OLD_CLOUDFRONT_MINIMUMS: [&str; 4] = ["SSLv3", "TLSv1", "TLSv1_2016", "TLSv1.1_2016"];

fn run(ctx: &Ctx, out: &mut Findings) {
    for rc in ctx
        .configured("aws_lb_listener")
        .chain(ctx.configured("aws_alb_listener"))
    {
        let after = rc.after();
        let encrypted =
            matches!(after.get("protocol").str(), Known(ref p) if p == "HTTPS" || p == "TLS");
        if !encrypted {
            continue;
        }
        match after.get("ssl_policy").str() {
            Known(policy) if !elb_policy_is_modern(&policy) => {
                out.report(
                    RULE.id,
                    &rc,
                    "ssl_policy",
                    format!("`{policy}` accepts TLS versions older than 1.2"),
                )
                .fix("ssl_policy", "ELBSecurityPolicy-TLS13-1-2-2021-06");
            }
            Known(_) => {}
            _ => {
                let finding = out.indeterminate(RULE.id, &rc, "ssl_policy");
                if !ctx.configures(&rc, "ssl_policy") {
                    finding.message = "`ssl_policy` is not set, so AWS picks the policy; set one that requires TLS 1.2".into();
                }
            }
        }
    }
    for rc in ctx.configured("aws_cloudfront_distribution") {
        let certificate = rc.after().path("viewer_certificate.0");
        // The default *.cloudfront.net certificate always accepts TLS 1.0; nothing to set.
        if certificate.get("cloudfront_default_certificate").bool() == Known(true) {
            continue;
        }
        let path = "viewer_certificate.0.minimum_protocol_version";
        if let Known(minimum) = certificate.get("minimum_protocol_version").str()
            && OLD_CLOUDFRONT_MINIMUMS.contains(&minimum.as_ref())
        {
            out.report(
                RULE.id,
                &rc,
                path,
                format!("minimum protocol `{minimum}` accepts TLS versions older than 1.2"),
            )
            .fix(path, "TLSv1.2_2021");
        }
    }
    for rc in ctx.configured("aws_api_gateway_domain_name") {
        if rc.after().get("security_policy").str() == Known("TLS_1_0".into()) {
            out.report(
                RULE.id,
                &rc,
                "security_policy",
                "`TLS_1_0` accepts TLS 1.0 and 1.1",
            )
            .fix("security_policy", "TLS_1_2");
        }
    }
    for rc in ctx
        .configured("aws_elasticsearch_domain")
        .chain(ctx.configured("aws_opensearch_domain"))
    {
        let path = "domain_endpoint_options.0.tls_security_policy";
        if let Known(policy) = rc.after().path(path).str()
            && policy.contains("TLS-1-0")
        {
            out.report(
                RULE.id,
                &rc,
                path,
                format!("`{policy}` accepts TLS 1.0 and 1.1"),
            )
            .fix(path, "Policy-Min-TLS-1-2-2019-07");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_load_balancer_policies() {
        for modern in [
            "ELBSecurityPolicy-TLS13-1-2-2021-06",
            "ELBSecurityPolicy-TLS13-1-3-2021-06",
            "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
            "ELBSecurityPolicy-FS-1-2-Res-2020-10",
            "ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09",
        ] {
            assert!(elb_policy_is_modern(modern), "{modern}");
        }
        for old in [
            "ELBSecurityPolicy-2016-08",
            "ELBSecurityPolicy-2015-05",
            "ELBSecurityPolicy-TLS-1-0-2015-04",
            "ELBSecurityPolicy-TLS-1-1-2017-01",
            "ELBSecurityPolicy-FS-2018-06",
            "ELBSecurityPolicy-FS-1-1-2019-08",
            "ELBSecurityPolicy-TLS13-1-1-2021-06",
        ] {
            assert!(!elb_policy_is_modern(old), "{old}");
        }
    }
}
