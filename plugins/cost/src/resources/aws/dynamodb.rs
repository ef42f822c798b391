//! `aws_dynamodb_table`: provisioned capacity (fixed) or request units
//! (usage), storage and backups (usage), and replicated writes to replicas.

use tfwarden_sdk::prelude::*;

use crate::estimate::{Component, NotPriced, Quantity};
use crate::fields::{Fields, number};
use crate::resources::context::{Ctx, unknown};

pub const USAGE: &[&str] = &[
    "monthly_write_request_units",
    "monthly_read_request_units",
    "storage_gb",
    "pitr_backup_storage_gb",
    "on_demand_backup_storage_gb",
    "monthly_data_restored_gb",
    "monthly_streams_read_request_units",
];
pub const SKU: &[&str] = &["billing_mode"];

pub fn price(ctx: &Ctx, f: &Fields) -> Result<Vec<Component>, NotPriced> {
    let on_demand = matches!(f.str("billing_mode"), Known(m) if m == "PAY_PER_REQUEST");
    let replicas: Vec<String> = f
        .get("replica")
        .items()
        .known()
        .unwrap_or_default()
        .iter()
        .filter_map(|r| r.get("region_name").str().known().map(|s| s.into_owned()))
        .collect();
    let mut out = Vec::new();
    if on_demand {
        out.push(usage(
            ctx,
            "Write request unit (WRU)",
            "requests",
            "wru",
            "monthly_write_request_units",
        ));
        out.push(usage(
            ctx,
            "Read request unit (RRU)",
            "requests",
            "rru",
            "monthly_read_request_units",
        ));
        for region in &replicas {
            let price = ctx.price_in(region, "dynamodb", "request", "rwru");
            let quantity = ctx.usage_quantity("monthly_write_request_units", 1.0);
            out.push(Component::new(
                format!("Global table ({region}) / Replicated write request unit (rWRU)"),
                "requests",
                price,
                quantity,
            ));
        }
    } else {
        let capacity = |path: &str| match number(f.get(path)) {
            Known(n) => Ok(n),
            Unknown => Err(unknown(path)),
            Absent => Ok(0.0),
        };
        let (write, read) = (capacity("write_capacity")?, capacity("read_capacity")?);
        out.push(Component::new(
            "Write capacity unit (WCU)",
            "WCU-month",
            ctx.price("dynamodb", "unit_month", "wcu"),
            Quantity::Monthly(write),
        ));
        out.push(Component::new(
            "Read capacity unit (RCU)",
            "RCU-month",
            ctx.price("dynamodb", "unit_month", "rcu"),
            Quantity::Monthly(read),
        ));
        for region in &replicas {
            let price = ctx.price_in(region, "dynamodb", "unit_month", "rwcu");
            let name = format!("Global table ({region}) / Replicated write capacity unit (rWCU)");
            out.push(Component::new(
                name,
                "rWCU-month",
                price,
                Quantity::Monthly(write),
            ));
        }
    }
    out.push(usage_gb(ctx, "Data storage", "storage", "storage_gb"));
    if f.block("point_in_time_recovery").get("enabled").bool() == Known(true) {
        out.push(usage_gb(
            ctx,
            "Point-in-time recovery backup storage",
            "pitr",
            "pitr_backup_storage_gb",
        ));
    }
    if ctx.usage("on_demand_backup_storage_gb").is_some() {
        out.push(usage_gb(
            ctx,
            "On-demand backup storage",
            "backup",
            "on_demand_backup_storage_gb",
        ));
    }
    Ok(out)
}

fn usage(
    ctx: &Ctx,
    name: &str,
    unit: &'static str,
    key: &str,
    usage_key: &'static str,
) -> Component {
    Component::new(
        name,
        unit,
        ctx.price("dynamodb", "request", key),
        ctx.usage_quantity(usage_key, 1.0),
    )
}

fn usage_gb(ctx: &Ctx, name: &str, key: &str, usage_key: &'static str) -> Component {
    Component::new(
        name,
        "GB-month",
        ctx.price("dynamodb", "gb_month", key),
        ctx.usage_quantity(usage_key, 1.0),
    )
}
