//! The cost summary and metrics, checked on fixture plans and small inline ones.

use cost::CostPolicy;
use tfwarden_sdk::testing::{Outcome, plan_with, run_file, run_json};

fn case(name: &str, settings: &str) -> Outcome {
    let path = format!("{}/tests/cases/{name}.json", env!("CARGO_MANIFEST_DIR"));
    run_file::<CostPolicy>(settings, path).expect("fixture runs")
}

fn markdown(out: &Outcome) -> &str {
    &out.summary
        .as_ref()
        .expect("the cost plugin always writes a summary")
        .markdown
}

fn metric(out: &Outcome, name: &str) -> Option<f64> {
    let summary = out.summary.as_ref()?;
    summary
        .metrics
        .iter()
        .find(|m| m.name == name)
        .map(|m| m.value)
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 0.005)
}

#[test]
fn shows_before_after_delta_and_total_per_resource() {
    let out = case("budget_increase_over", "null");
    let md = markdown(&out);
    // m5.large at $0.096/h and 20 GB gp3 at $0.08; a NAT gateway at $0.045/h.
    assert!(
        md.contains("| `aws_instance.web` | – | $71.68 | +$71.68 |"),
        "{md}"
    );
    assert!(
        md.contains("| `aws_nat_gateway.main` | – | $32.85 | +$32.85 |"),
        "{md}"
    );
    assert!(
        md.contains("| **Total** | **$0.00** | **$104.53** | **+$104.53** |"),
        "{md}"
    );
    assert!(close(metric(&out, "cost.after:aws_instance.web"), 71.68));
    assert!(close(metric(&out, "cost.before:aws_instance.web"), 0.0));
    assert!(close(metric(&out, "cost.total.delta"), 104.53));
    assert!(close(metric(&out, "cost.unpriced"), 0.0));
}

#[test]
fn every_summary_prints_the_date_of_the_prices() {
    let out = case("no_budgets", "null");
    assert!(markdown(&out).contains(&format!("prices as of {}", cost::prices::PRICES_AS_OF)));
    assert!(markdown(&out).contains("infracost-goldens"));
}

#[test]
fn usage_components_show_their_unit_price_until_figures_are_given() {
    let out = case("budget_increase_over", "null");
    assert!(markdown(&out).contains(
        "- Data processed: $0.045 per GB, `aws_nat_gateway.main` (`monthly_data_processed_gb`)"
    ));
    // 10,000 GB by address beats 100 GB by type: $450 + $32.85.
    let out = case(
        "usage_prices_data",
        r#"{"usage": {"aws_nat_gateway": {"monthly_data_processed_gb": 100},
        "aws_nat_gateway.main": {"monthly_data_processed_gb": 10000}}}"#,
    );
    assert!(close(
        metric(&out, "cost.after:aws_nat_gateway.main"),
        482.85
    ));
    assert!(!markdown(&out).contains("Depends on usage"));
}

#[test]
fn unpriced_resources_are_listed_with_reasons_and_never_counted_as_zero() {
    let out = case("region_from_alias", "null");
    let md = markdown(&out);
    assert!(
        md.contains(
            "`aws_nat_gateway.west`: the price table has no `natgw` prices for region `eu-west-1`"
        ),
        "{md}"
    );
    assert!(md.contains("priced part only"), "{md}");
    assert_eq!(metric(&out, "cost.after:aws_nat_gateway.west"), None);
    assert!(close(metric(&out, "cost.unpriced"), 1.0));

    let out = case("unsupported_type_is_open", "null");
    assert!(markdown(&out).contains("`aws_redshift_cluster.dw`: resource type not supported yet"));
    assert_eq!(metric(&out, "cost.after:aws_redshift_cluster.dw"), None);

    let out = case("budget_increase_open", "null");
    let md = markdown(&out);
    assert!(md.contains("partly priced; Instance usage"), "{md}");
    assert!(
        md.contains("`instance_type` is known only after apply"),
        "{md}"
    );
    assert!(md.contains("≥ $0.80"), "{md}");
}

#[test]
fn a_default_region_is_named_with_the_reason() {
    let plan = plan_with(
        "aws_nat_gateway",
        &["create"],
        r#"{"connectivity_type":"public"}"#,
        "{}",
    );
    let out = run_json::<CostPolicy>("null", &plan).unwrap();
    let md = markdown(&out);
    assert!(md.contains("**Priced in a default region**"), "{md}");
    assert!(
        md.contains(
            "- `aws_nat_gateway.this`: `us-east-1` (the plan has no provider configuration)"
        ),
        "{md}"
    );

    let out = run_json::<CostPolicy>(r#"{"default_regions": {}}"#, &plan).unwrap();
    let md = markdown(&out);
    assert!(
        md.contains(
            "`aws_nat_gateway.this`: unknown region (the plan has no provider configuration)"
        ),
        "{md}"
    );
    assert_eq!(metric(&out, "cost.after:aws_nat_gateway.this"), None);
}

#[test]
fn regions_come_from_references_aliases_and_resources() {
    // The VM's location is unknown but refers to its resource group's; with
    // no default region it could only have been priced through that reference.
    let out = case(
        "azure_location_from_reference",
        r#"{"default_regions": {}}"#,
    );
    assert!(
        markdown(&out).contains("`managed-disk` prices for region `westeurope`"),
        "{}",
        markdown(&out)
    );
    // A regional GKE pool spans three zones: 2 nodes each.
    let out = case("gke_node_pool_zones_from_cluster", "null");
    assert!(
        markdown(&out).contains("| `google_container_node_pool.workers` | – | $1,761.51 |"),
        "{}",
        markdown(&out)
    );
}

#[test]
fn the_table_keeps_the_ten_largest_changes() {
    let changes: Vec<String> = (1..=12)
        .map(|i| {
            format!(
                r#"{{"address":"aws_ebs_volume.v{i}","mode":"managed","type":"aws_ebs_volume","name":"v{i}",
                "provider_name":"registry.terraform.io/hashicorp/aws","change":{{"actions":["create"],"before":null,
                "after":{{"availability_zone":"us-east-1a","size":{size},"type":"gp3"}},"after_unknown":{{}}}}}}"#,
                size = i * 100
            )
        })
        .collect();
    let plan = format!(
        r#"{{"format_version":"1.2","resource_changes":[{}]}}"#,
        changes.join(",")
    );
    let out = run_json::<CostPolicy>("null", &plan).unwrap();
    let md = markdown(&out);
    assert!(
        md.contains("| `aws_ebs_volume.v12` | – | $96.00 | +$96.00 |"),
        "{md}"
    );
    assert!(md.contains("| … 2 more | | | +$24.00 |"), "{md}");
    assert!(!md.contains("`aws_ebs_volume.v1` |"), "{md}");
    assert!(md.contains("**+$624.00**"), "{md}");
}

#[test]
fn a_plan_without_costs_still_gets_a_summary() {
    let plan = plan_with("aws_iam_role", &["create"], r#"{"name":"r"}"#, "{}");
    let out = run_json::<CostPolicy>("null", &plan).unwrap();
    assert!(markdown(&out).contains("No resource in this plan has a fixed monthly cost"));
    assert!(close(metric(&out, "cost.total.after"), 0.0));
}
