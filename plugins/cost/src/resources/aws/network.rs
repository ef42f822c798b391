//! AWS networking that bills by the hour: NAT gateways, load balancers,
//! public IPv4 addresses and interface VPC endpoints, each with its
//! per-GB processing charge as a usage component.

use tfwarden_sdk::prelude::*;

use crate::estimate::{Component, HOURS_PER_MONTH, NotPriced, Quantity};
use crate::fields::Fields;
use crate::resources::context::{Ctx, unknown};

pub const NAT_USAGE: &[&str] = &["monthly_data_processed_gb"];
pub const LB_USAGE: &[&str] = &["capacity_units", "processed_bytes_gb"];
pub const ELB_USAGE: &[&str] = &["monthly_data_processed_gb"];
pub const EIP_USAGE: &[&str] = &[];
pub const VPCE_USAGE: &[&str] = &["monthly_data_processed_gb"];
pub const NO_SKU: &[&str] = &[];
pub const LB_SKU: &[&str] = &["load_balancer_type"];

/// Interface endpoint processing tiers: the first 1 PB, the next 4 PB, then the rest.
const VPCE_TIERS: &[(f64, &str)] = &[
    (1e6, "interface-tier-1"),
    (4e6, "interface-tier-2"),
    (f64::INFINITY, "interface-tier-3"),
];

pub fn nat_gateway(ctx: &Ctx, _: &Fields) -> Result<Vec<Component>, NotPriced> {
    Ok(vec![
        ctx.per_hour("NAT gateway", ctx.price("natgw", "hour", "gateway"), 1.0),
        Component::new(
            "Data processed",
            "GB",
            ctx.price("natgw", "gb", "data"),
            ctx.usage_quantity("monthly_data_processed_gb", 1.0),
        ),
    ])
}

/// `aws_lb` and `aws_alb`: hours plus load balancer capacity units. LCUs come
/// from `capacity_units` (average LCUs) or `processed_bytes_gb` (a month's GB,
/// one LCU per GB an hour), whichever is larger.
pub fn load_balancer(ctx: &Ctx, f: &Fields) -> Result<Vec<Component>, NotPriced> {
    let kind = match f.str("load_balancer_type") {
        Known(t) if !t.is_empty() => t.into_owned(),
        Unknown => return Err(unknown("load_balancer_type")),
        _ => "application".into(),
    };
    let label = match kind.as_str() {
        "application" => "Application load balancer",
        "network" => "Network load balancer",
        "gateway" => "Gateway load balancer",
        _ => "Load balancer",
    };
    let mut out = vec![ctx.per_hour(label, ctx.price("elb", "hour", &kind), 1.0)];
    let from_bytes = ctx
        .usage("processed_bytes_gb")
        .map(|gb| gb / HOURS_PER_MONTH);
    let lcus = match (ctx.usage("capacity_units"), from_bytes) {
        (None, None) => Quantity::DependsOnUsage {
            key: "capacity_units",
        },
        (a, b) => Quantity::FromUsage(a.unwrap_or(0.0).max(b.unwrap_or(0.0))),
    };
    out.push(Component::new(
        "Load balancer capacity units",
        "LCU-month",
        ctx.price("elb-lcu", "lcu_month", &kind),
        lcus,
    ));
    Ok(out)
}

pub fn classic_load_balancer(ctx: &Ctx, _: &Fields) -> Result<Vec<Component>, NotPriced> {
    Ok(vec![
        ctx.per_hour(
            "Classic load balancer",
            ctx.price("elb", "hour", "classic"),
            1.0,
        ),
        Component::new(
            "Data processed",
            "GB",
            ctx.price("elb-data", "gb", "classic"),
            ctx.usage_quantity("monthly_data_processed_gb", 1.0),
        ),
    ])
}

/// Every public IPv4 address has been billed by the hour since February 2024,
/// attached or not.
pub fn elastic_ip(ctx: &Ctx, f: &Fields) -> Result<Vec<Component>, NotPriced> {
    if matches!(f.str("public_ipv4_pool"), Known(p) if !p.is_empty() && p != "amazon") {
        return Ok(Vec::new()); // a bring-your-own address pool
    }
    Ok(vec![ctx.per_hour(
        "Public IPv4 address",
        ctx.price("public-ipv4", "hour", "address"),
        1.0,
    )])
}

/// Gateway endpoints (S3, DynamoDB) are free; interface endpoints bill an hour
/// per subnet (one network interface each) plus tiered processing.
pub fn vpc_endpoint(ctx: &Ctx, f: &Fields) -> Result<Vec<Component>, NotPriced> {
    let kind = match f.str("vpc_endpoint_type") {
        Known(t) if !t.is_empty() => t.into_owned(),
        Unknown => return Err(unknown("vpc_endpoint_type")),
        _ => "Gateway".into(),
    };
    if kind == "Gateway" {
        return Ok(Vec::new());
    }
    let interfaces = match f.get("subnet_ids").items() {
        Known(ids) => ids.len().max(1) as f64,
        Unknown => return Err(unknown("subnet_ids")),
        Absent => 1.0,
    };
    let key = kind.to_ascii_lowercase();
    let mut out = vec![ctx.per_hour(
        format!("Endpoint ({kind})"),
        ctx.price("vpce", "hour", &key),
        interfaces,
    )];
    if key == "interface" {
        out.extend(tiered(
            ctx,
            "Data processed",
            ctx.usage("monthly_data_processed_gb"),
        ));
    } else {
        let quantity = ctx.usage_quantity("monthly_data_processed_gb", 1.0);
        out.push(Component::new(
            "Data processed",
            "GB",
            ctx.price("vpce-data", "gb", &key),
            quantity,
        ));
    }
    Ok(out)
}

fn tiered(ctx: &Ctx, name: &str, gb: Option<f64>) -> Vec<Component> {
    let Some(mut remaining) = gb else {
        let price = ctx.price("vpce-data", "gb", VPCE_TIERS[0].1);
        let quantity = Quantity::DependsOnUsage {
            key: "monthly_data_processed_gb",
        };
        return vec![Component::new(
            format!("{name} (first 1 PB)"),
            "GB",
            price,
            quantity,
        )];
    };
    let labels = ["first 1 PB", "next 4 PB", "over 5 PB"];
    let mut out = Vec::new();
    for ((size, key), label) in VPCE_TIERS.iter().zip(labels) {
        if remaining <= 0.0 {
            break;
        }
        let used = remaining.min(*size);
        remaining -= used;
        let price = ctx.price("vpce-data", "gb", key);
        out.push(Component::new(
            format!("{name} ({label})"),
            "GB",
            price,
            Quantity::FromUsage(used),
        ));
    }
    out
}
