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
    let mysql = matches!(f.str("database_version"), Known(v) if v.starts_with("MYSQL"));
    let mut out = compute(ctx, &tier, availability, mysql);
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

/// The instance's compute. Shared-core tiers, and legacy `db-n1-*` tiers on
/// MySQL, have a price per instance; everything else is billed by vCPU and
/// memory (which is what the per-instance prices add up to anyway).
fn compute(ctx: &Ctx, tier: &str, availability: &str, mysql: bool) -> Vec<Component> {
    let named = ctx.price("cloudsql", "hour", &format!("{tier}:{availability}"));
    let shared_core = matches!(tier, "db-f1-micro" | "db-g1-small");
    let shape = shape(tier);
    if let Ok(price) = named
        && (shared_core || mysql || shape.is_none())
    {
        return vec![ctx.per_hour(
            format!("SQL instance ({tier}, {availability})"),
            Ok(price),
            1.0,
        )];
    }
    let Some((vcpus, memory_gb)) = shape else {
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

/// vCPUs and GB of memory of `db-custom-N-MB`, and of the standard (3.75 GB
/// per vCPU) and high-memory (6.5 GB per vCPU) tiers, legacy `db-n1-` or not.
fn shape(tier: &str) -> Option<(f64, f64)> {
    if let Some(rest) = tier.strip_prefix("db-custom-") {
        let (cpus, mb) = rest.split_once('-')?;
        return Some((cpus.parse().ok()?, mb.parse::<f64>().ok()? / 1024.0));
    }
    let name = tier
        .strip_prefix("db-n1-")
        .or_else(|| tier.strip_prefix("db-"))?;
    let (per_cpu, n) = if let Some(n) = name.strip_prefix("standard-") {
        (3.75, n)
    } else {
        (6.5, name.strip_prefix("highmem-")?)
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
        assert_eq!(shape("db-highmem-4"), Some((4.0, 26.0)));
        assert_eq!(shape("db-standard-2"), Some((2.0, 7.5)));
        assert_eq!(shape("db-f1-micro"), None);
        assert_eq!(shape("db-lightweight-2"), None);
    }
}
