//! The documented AWS quotas, at their edges: one under or at the limit
//! passes, one over fails. The plans are built here because a fixture with
//! 101 target groups or 61 CIDR blocks would be unreadable by hand.

use limits::Limits;
use serde_json::{Value as Json, json};
use tfwarden_sdk::testing::{Outcome, run_json};

fn change(address: &str, type_: &str, actions: &[&str], after: Json, unknown: Json) -> Json {
    let name = address
        .rsplit('.')
        .next()
        .unwrap_or(address)
        .split('[')
        .next()
        .unwrap_or(address);
    json!({
        "address": address, "mode": "managed", "type": type_, "name": name,
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "change": {"actions": actions, "before": null, "after": after, "after_unknown": unknown,
                   "before_sensitive": false, "after_sensitive": {}}
    })
}

fn config(address: &str, type_: &str, expressions: Json) -> Json {
    let name = address.rsplit('.').next().unwrap_or(address);
    json!({"address": address, "mode": "managed", "type": type_, "name": name,
           "provider_config_key": "aws", "expressions": expressions})
}

fn reference(to: &str) -> Json {
    json!({"references": [format!("{to}.arn"), to]})
}

fn run(changes: Vec<Json>, resources: Vec<Json>) -> Outcome {
    let plan = json!({
        "format_version": "1.2", "terraform_version": "1.9.8",
        "resource_changes": changes,
        "configuration": {"provider_config": {"aws": {"name": "aws"}}, "root_module": {"resources": resources}}
    });
    run_json::<Limits>("null", &plan.to_string()).expect("a plan")
}

fn rules_of(outcome: &Outcome) -> Vec<String> {
    outcome
        .failures()
        .into_iter()
        .map(|(rule, _)| rule)
        .collect()
}

/// An ALB with one listener, and `services` rules each forwarding to its own target group.
fn load_balancer_with(services: usize) -> Outcome {
    let mut changes = vec![
        change(
            "aws_lb.main",
            "aws_lb",
            &["create"],
            json!({"name": "web"}),
            json!({"arn": true}),
        ),
        change(
            "aws_lb_listener.https",
            "aws_lb_listener",
            &["create"],
            json!({"port": 443, "default_action": [{"type": "fixed-response"}]}),
            json!({"arn": true, "load_balancer_arn": true}),
        ),
    ];
    let mut resources = vec![config(
        "aws_lb_listener.https",
        "aws_lb_listener",
        json!({"load_balancer_arn": reference("aws_lb.main")}),
    )];
    for n in 0..services {
        changes.push(change(
            &format!("aws_lb_target_group.svc[{n}]"),
            "aws_lb_target_group",
            &["create"],
            json!({"name": format!("svc-{n}")}),
            json!({"arn": true}),
        ));
        changes.push(change(
            &format!("aws_lb_listener_rule.svc[{n}]"),
            "aws_lb_listener_rule",
            &["create"],
            json!({"priority": n + 1, "action": [{"type": "forward"}]}),
            json!({"arn": true, "listener_arn": true, "action": [{"target_group_arn": true}]}),
        ));
        let last = changes.len() - 1;
        changes[last]["index"] = json!(n);
        changes[last - 1]["index"] = json!(n);
    }
    resources.push(config(
        "aws_lb_target_group.svc",
        "aws_lb_target_group",
        json!({}),
    ));
    resources.push(config(
        "aws_lb_listener_rule.svc",
        "aws_lb_listener_rule",
        json!({
            "listener_arn": reference("aws_lb_listener.https"),
            "action": [{"type": {"constant_value": "forward"},
                        "target_group_arn": {"references": ["aws_lb_target_group.svc", "count.index"]}}]
        }),
    ));
    run(changes, resources)
}

#[test]
fn target_groups_and_rules_per_load_balancer() {
    assert!(load_balancer_with(100).findings.is_empty());
    assert_eq!(rules_of(&load_balancer_with(101)), ["LIM001", "LIM002"]);
}

fn security_group_with(ipv4: usize, ipv6: usize) -> Outcome {
    let cidrs: Vec<String> = (0..ipv4).map(|n| format!("10.{n}.0.0/16")).collect();
    let ipv6_cidrs: Vec<String> = (0..ipv6).map(|n| format!("2001:db8:{n:x}::/48")).collect();
    let group = change(
        "aws_security_group.wide",
        "aws_security_group",
        &["create"],
        json!({"name": "wide", "ingress": [{"cidr_blocks": cidrs, "ipv6_cidr_blocks": ipv6_cidrs,
               "security_groups": [], "prefix_list_ids": [], "self": false, "from_port": 443, "to_port": 443}],
               "egress": []}),
        json!({"id": true}),
    );
    let resources = vec![config(
        "aws_security_group.wide",
        "aws_security_group",
        json!({"ingress": {"references": ["var.cidrs"]}}),
    )];
    run(vec![group], resources)
}

#[test]
fn rules_per_security_group_per_family() {
    assert!(
        security_group_with(60, 60).findings.is_empty(),
        "IPv4 and IPv6 count separately"
    );
    assert_eq!(rules_of(&security_group_with(61, 0)), ["LIM005"]);
    assert_eq!(rules_of(&security_group_with(0, 61)), ["LIM005"]);
}

/// A JSON policy of exactly `chars` characters without white space, padded
/// with white space that must not count.
fn policy_of(chars: usize) -> String {
    let skeleton = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::"}]}"#;
    let bucket = "b".repeat(chars - skeleton.len());
    let policy = skeleton.replace(":::\"", &format!(":::{bucket}\""));
    policy.replace(',', ",\n    ")
}

fn single_policy(type_: &str, address: &str, chars: usize) -> Outcome {
    let policy = policy_of(chars);
    run(
        vec![change(
            address,
            type_,
            &["create"],
            json!({"name": "p", "policy": policy}),
            json!({"arn": true}),
        )],
        vec![],
    )
}

#[test]
fn managed_policy_size() {
    assert!(
        single_policy("aws_iam_policy", "aws_iam_policy.p", 6_144)
            .findings
            .is_empty()
    );
    assert_eq!(
        rules_of(&single_policy("aws_iam_policy", "aws_iam_policy.p", 6_145)),
        ["LIM003"]
    );
}

#[test]
fn inline_policy_sizes_per_identity() {
    for (type_, link, limit) in [
        ("aws_iam_role_policy", "role", 10_240),
        ("aws_iam_user_policy", "user", 2_048),
        ("aws_iam_group_policy", "group", 5_120),
    ] {
        let two_halves = |total: usize| {
            let changes = (0..2)
                .map(|n| {
                    let size = total / 2 + n * (total % 2);
                    let after =
                        json!({"name": format!("p{n}"), link: "shared", "policy": policy_of(size)});
                    change(
                        &format!("{type_}.p{n}"),
                        type_,
                        &["create"],
                        after,
                        json!({"id": true}),
                    )
                })
                .collect();
            run(changes, vec![])
        };
        assert!(
            two_halves(limit).findings.is_empty(),
            "{type_} at its limit"
        );
        assert_eq!(
            rules_of(&two_halves(limit + 1)),
            ["LIM004"],
            "{type_} over its limit"
        );
    }
}

#[test]
fn bucket_policy_size() {
    let bucket_policy = |bytes: usize| {
        let policy = format!(
            "{{\"Sid\": \"{}\"}}",
            "x".repeat(bytes - r#"{"Sid":""}"#.len())
        );
        let after = json!({"bucket": "b", "policy": policy});
        run(
            vec![change(
                "aws_s3_bucket_policy.b",
                "aws_s3_bucket_policy",
                &["create"],
                after,
                json!({}),
            )],
            vec![],
        )
    };
    assert!(bucket_policy(20 * 1024).findings.is_empty());
    assert_eq!(rules_of(&bucket_policy(20 * 1024 + 1)), ["LIM006"]);
}

#[test]
fn tags_per_resource() {
    let tagged = |type_: &str, count: usize| {
        let tags: serde_json::Map<String, Json> =
            (0..count).map(|n| (format!("k{n}"), json!("v"))).collect();
        let after = json!({"tags": tags.clone(), "tags_all": tags});
        run(
            vec![change(
                &format!("{type_}.t"),
                type_,
                &["create"],
                after,
                json!({}),
            )],
            vec![],
        )
    };
    assert!(tagged("aws_instance", 50).findings.is_empty());
    assert_eq!(rules_of(&tagged("aws_instance", 51)), ["LIM007"]);
    assert!(tagged("aws_s3_object", 10).findings.is_empty());
    assert_eq!(rules_of(&tagged("aws_s3_object", 11)), ["LIM007"]);
}

#[test]
fn lambda_environment_size() {
    let function = |bytes: usize| {
        let value = "v".repeat(bytes - r#"{"K":""}"#.len());
        let after = json!({"function_name": "f", "environment": [{"variables": {"K": value}}]});
        run(
            vec![change(
                "aws_lambda_function.f",
                "aws_lambda_function",
                &["create"],
                after,
                json!({}),
            )],
            vec![],
        )
    };
    assert!(function(4_096).findings.is_empty());
    assert_eq!(rules_of(&function(4_097)), ["LIM008"]);
}

#[test]
fn destroys_and_alerts_thresholds() {
    let deletes = |n: usize| {
        let changes = (0..n)
            .map(|i| {
                change(
                    &format!("aws_instance.old{i}"),
                    "aws_instance",
                    &["delete"],
                    Json::Null,
                    json!(false),
                )
            })
            .collect();
        run(changes, vec![])
    };
    assert!(deletes(10).findings.is_empty());
    assert_eq!(rules_of(&deletes(11)), ["LIM009"]);

    let alerts = |n: usize| {
        let changes = (0..n)
            .map(|i| {
                let after = json!({"name": format!("a{i}"), "type": "metric alert"});
                change(
                    &format!("datadog_monitor.a{i}"),
                    "datadog_monitor",
                    &["create"],
                    after,
                    json!({}),
                )
            })
            .collect();
        run(changes, vec![])
    };
    assert!(alerts(50).findings.is_empty());
    assert_eq!(rules_of(&alerts(51)), ["LIM011"]);
}

/// Many rules over many groups, linked only through the configuration: the
/// work must grow with the plan, not with its square.
#[test]
fn large_plans_stay_linear() {
    let (groups, rules_per_group) = (400, 50);
    let mut changes = Vec::new();
    let mut resources = Vec::new();
    for g in 0..groups {
        changes.push(change(
            &format!("aws_security_group.g{g}"),
            "aws_security_group",
            &["create"],
            json!({"name": format!("g{g}")}),
            json!({"id": true, "ingress": true, "egress": true}),
        ));
        resources.push(config(
            &format!("aws_security_group.g{g}"),
            "aws_security_group",
            json!({}),
        ));
        for r in 0..rules_per_group {
            let address = format!("aws_security_group_rule.g{g}r{r}");
            changes.push(change(
                &address,
                "aws_security_group_rule",
                &["create"],
                json!({"type": "ingress", "cidr_blocks": [format!("10.{r}.0.0/16")], "self": false}),
                json!({"id": true, "security_group_id": true}),
            ));
            let group = format!("aws_security_group.g{g}");
            resources.push(config(
                &address,
                "aws_security_group_rule",
                json!({"security_group_id": reference(&group)}),
            ));
        }
    }
    let started = std::time::Instant::now();
    let outcome = run(changes, resources);
    println!(
        "{} changes checked in {:.2?}",
        groups * (rules_per_group + 1),
        started.elapsed()
    );
    assert!(
        outcome.findings.is_empty(),
        "50 rules per group is within 60: {:?}",
        outcome.findings.first()
    );
}
