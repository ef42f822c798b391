//! Azure Database flexible servers for PostgreSQL and MySQL: compute by SKU
//! (twice with a high-availability standby), storage, extra IOPS and backups.

use crate::estimate::{Component, NotPriced, Quantity};
use crate::fields::{Fields, number};
use crate::resources::context::{Ctx, required_str};

pub const USAGE: &[&str] = &["additional_backup_storage_gb"];
pub const SKU: &[&str] = &["sku_name"];

/// MySQL includes 300 IOPS plus 3 per GB of storage.
const MYSQL_FREE_IOPS: f64 = 300.0;
const MYSQL_FREE_IOPS_PER_GB: f64 = 3.0;

pub fn postgres(ctx: &Ctx, f: &Fields) -> Result<Vec<Component>, NotPriced> {
    let storage_gb = number(f.get("storage_mb"))
        .known()
        .map_or(32.0, |mb| mb / 1024.0);
    server(ctx, f, "postgres-flexible", storage_gb, None)
}

pub fn mysql(ctx: &Ctx, f: &Fields) -> Result<Vec<Component>, NotPriced> {
    let storage = f.block("storage");
    let storage_gb = number(storage.get("size_gb")).known().unwrap_or(20.0);
    let iops = number(storage.get("iops")).known();
    server(ctx, f, "mysql-flexible", storage_gb, iops)
}

fn server(
    ctx: &Ctx,
    f: &Fields,
    service: &str,
    storage_gb: f64,
    iops: Option<f64>,
) -> Result<Vec<Component>, NotPriced> {
    let sku = required_str(f.get("sku_name"), "sku_name")?;
    let standby = !f.block("high_availability").is_absent();
    let copies = if standby { 2.0 } else { 1.0 };
    let label = if standby {
        format!("Compute ({sku}, with high-availability standby)")
    } else {
        format!("Compute ({sku})")
    };
    let mut out = vec![ctx.per_hour(
        label,
        ctx.price(service, "hour", &sku.to_ascii_lowercase()),
        copies,
    )];
    out.push(Component::new(
        "Storage",
        "GB-month",
        ctx.price(service, "gb_month", "storage"),
        Quantity::Monthly(storage_gb * copies),
    ));
    if let Some(iops) = iops {
        let extra = iops - (MYSQL_FREE_IOPS + MYSQL_FREE_IOPS_PER_GB * storage_gb);
        if extra > 0.0 {
            out.push(Component::new(
                "Additional IOPS",
                "IOPS-month",
                ctx.price(service, "iops_month", "iops"),
                Quantity::Monthly(extra),
            ));
        }
    }
    out.push(Component::new(
        "Additional backup storage",
        "GB-month",
        ctx.price(service, "gb_month", "backup"),
        ctx.usage_quantity("additional_backup_storage_gb", 1.0),
    ));
    Ok(out)
}
