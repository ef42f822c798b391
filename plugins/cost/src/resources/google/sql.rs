//! `google_sql_database_instance`: the tier (shared-core and standard tiers
//! by name, custom tiers by vCPU and memory), storage and backups.

use tfwarden_sdk::prelude::*;

use crate::estimate::{Component, HOURS_PER_MONTH, NotPriced, Quantity};
use crate::fields::Fields;
use crate::resources::context::{Ctx, required_str};

pub const USAGE: &[&str] = &["backup_storage_gb"];
pub const SKU: &[&str] = &["settings.0.tier"];

pub fn price(ctx: &Ctx, f: &Fields) -> Result<Vec<Component>, NotPriced> {
    let settings = f.block("settings");
    let tier = required_str(settings.get("tier"), "settings.0.tier")?;
    let (availability, availability_assumed) = ctx.or_default(
        settings.get("availability_type"),
        "settings.0.availability_type",
        "ZONAL",
    )?;
    let availability = if availability == "REGIONAL" {
        "regional"
    } else {
        "zonal"
    };
    let mut out = compute(ctx, &tier, availability);
    if availability_assumed {
        out[0].name.push_str(" (zonal assumed; known after apply)");
    }
    if matches!(f.str("database_version"), Known(v) if v.starts_with("SQLSERVER")) {
        out.push(Component::new(
            "SQL Server licence",
            "hour",
            Err(NotPriced::NotInTable {
                what: "SQL Server licences".into(),
                region: ctx.region.into(),
            }),
            Quantity::Monthly(0.0),
        ));
    }
    let disk = match settings.get("disk_type").str() {
        Known(t) if t == "PD_HDD" => "hdd",
        _ => "ssd",
    };
    let (size, size_assumed) =
        ctx.number_or_default(settings.get("disk_size"), "settings.0.disk_size", 10.0)?;
    let size_note = if size_assumed {
        " (10 GB assumed; known after apply)"
    } else {
        ""
    };
    out.push(Component::new(
        format!(
            "Storage ({}, {availability}){size_note}",
            disk.to_uppercase()
        ),
        "GB-month",
        ctx.price("cloudsql", "gb_month", &format!("{disk}:{availability}")),
        Quantity::Monthly(size),
    ));
    out.push(Component::new(
        "Backups",
        "GB-month",
        ctx.price("cloudsql", "gb_month", "backup"),
        ctx.usage_quantity("backup_storage_gb", 1.0),
    ));
    Ok(out)
}

/// A named tier's hourly price, or vCPUs and memory for custom and standard
/// tiers the table lists by resources rather than by name.
fn compute(ctx: &Ctx, tier: &str, availability: &str) -> Vec<Component> {
    if let Ok(price) = ctx.price("cloudsql", "hour", &format!("{tier}:{availability}")) {
        return vec![ctx.per_hour(
            format!("SQL instance ({tier}, {availability})"),
            Ok(price),
            1.0,
        )];
    }
    let Some((vcpus, memory_gb)) = shape(tier) else {
        let reason = NotPriced::NotInTable {
            what: format!("Cloud SQL tier `{tier}`"),
            region: ctx.region.into(),
        };
        return vec![ctx.per_hour(
            format!("SQL instance ({tier}, {availability})"),
            Err(reason),
            1.0,
        )];
    };
    vec![
        Component::new(
            format!("vCPUs ({vcpus}, {availability})"),
            "vCPU-hour",
            ctx.price("cloudsql", "vcpu_hour", &format!("vcpu:{availability}")),
            Quantity::Monthly(vcpus * HOURS_PER_MONTH),
        ),
        Component::new(
            format!("Memory ({memory_gb} GB, {availability})"),
            "GB-month",
            ctx.price("cloudsql", "gb_month", &format!("memory:{availability}")),
            Quantity::Monthly(memory_gb),
        ),
    ]
}

/// vCPUs and GB of memory of `db-custom-N-MB`, `db-n1-standard-N` (3.75 GB per
/// vCPU) and `db-n1-highmem-N` (6.5 GB per vCPU).
fn shape(tier: &str) -> Option<(f64, f64)> {
    if let Some(rest) = tier.strip_prefix("db-custom-") {
        let (cpus, mb) = rest.split_once('-')?;
        return Some((cpus.parse().ok()?, mb.parse::<f64>().ok()? / 1024.0));
    }
    let (per_cpu, n) = if let Some(n) = tier.strip_prefix("db-n1-standard-") {
        (3.75, n)
    } else {
        (6.5, tier.strip_prefix("db-n1-highmem-")?)
    };
    let cpus: f64 = n.parse().ok()?;
    Some((cpus, cpus * per_cpu))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_custom_and_standard_tiers() {
        assert_eq!(shape("db-custom-4-15360"), Some((4.0, 15.0)));
        assert_eq!(shape("db-n1-standard-96"), Some((96.0, 360.0)));
        assert_eq!(shape("db-n1-highmem-2"), Some((2.0, 13.0)));
        assert_eq!(shape("db-f1-micro"), None);
    }
}
