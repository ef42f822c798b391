//! `aws_efs_file_system`: storage (usage) by class, infrequent-access
//! transfers (usage), and provisioned throughput beyond what storage includes.

use tfwarden_sdk::prelude::*;

use crate::estimate::{Component, NotPriced, Quantity};
use crate::fields::{Fields, number};
use crate::resources::context::Ctx;

pub const USAGE: &[&str] = &[
    "storage_gb",
    "infrequent_access_storage_gb",
    "monthly_infrequent_access_read_gb",
    "monthly_infrequent_access_write_gb",
];
pub const SKU: &[&str] = &[];

/// Each GB stored includes 50 KiB/s of throughput (0.05 MiB/s).
const INCLUDED_MIBPS_PER_GB: f64 = 0.05;

pub fn price(ctx: &Ctx, f: &Fields) -> Result<Vec<Component>, NotPriced> {
    let one_zone = matches!(f.str("availability_zone_name"), Known(z) if !z.is_empty());
    let (standard, infrequent, label) = if one_zone {
        ("one-zone", "one-zone-ia", "One Zone")
    } else {
        ("standard", "standard-ia", "Standard")
    };
    let mut out = vec![Component::new(
        format!("Storage ({label})"),
        "GB-month",
        ctx.price("efs", "gb_month", standard),
        ctx.usage_quantity("storage_gb", 1.0),
    )];
    let has_lifecycle = !matches!(f.get("lifecycle_policy").items(), Known(ref p) if p.is_empty());
    if has_lifecycle || ctx.usage("infrequent_access_storage_gb").is_some() {
        out.push(Component::new(
            format!("Storage ({label}, infrequent access)"),
            "GB-month",
            ctx.price("efs", "gb_month", infrequent),
            ctx.usage_quantity("infrequent_access_storage_gb", 1.0),
        ));
        out.push(Component::new(
            "Infrequent access reads",
            "GB",
            ctx.price("efs", "gb", "ia-read"),
            ctx.usage_quantity("monthly_infrequent_access_read_gb", 1.0),
        ));
        out.push(Component::new(
            "Infrequent access writes",
            "GB",
            ctx.price("efs", "gb", "ia-write"),
            ctx.usage_quantity("monthly_infrequent_access_write_gb", 1.0),
        ));
    }
    if matches!(f.str("throughput_mode"), Known(m) if m == "provisioned") {
        let provisioned = number(f.get("provisioned_throughput_in_mibps"))
            .known()
            .unwrap_or(0.0);
        let included = ctx.usage("storage_gb").unwrap_or(0.0) * INCLUDED_MIBPS_PER_GB;
        let billed = (provisioned - included).max(0.0);
        out.push(Component::new(
            "Provisioned throughput (beyond what storage includes)",
            "MBps-month",
            ctx.price("efs", "mbps_month", "provisioned-throughput"),
            Quantity::Monthly(billed),
        ));
    }
    Ok(out)
}
