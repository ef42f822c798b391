//! Azure managed disks: `azurerm_managed_disk`, and the OS disks of VMs, scale
//! sets and AKS nodes. Standard, Standard SSD and Premium disks bill a fixed
//! monthly price per size tier; Ultra disks bill GiB, IOPS and throughput.

use tfwarden_sdk::prelude::*;

use crate::estimate::{Component, NotPriced, Quantity};
use crate::fields::{Fields, number};
use crate::resources::context::{Ctx, unknown};

pub const USAGE: &[&str] = &[];
pub const SKU: &[&str] = &["storage_account_type"];

/// Tier numbers by the largest size (GiB) each covers.
const TIERS: &[(f64, u32)] = &[
    (4.0, 1),
    (8.0, 2),
    (16.0, 3),
    (32.0, 4),
    (64.0, 6),
    (128.0, 10),
    (256.0, 15),
    (512.0, 20),
    (1024.0, 30),
    (2048.0, 40),
    (4096.0, 50),
    (8192.0, 60),
    (16384.0, 70),
    (32767.0, 80),
];

/// The tier name of a disk, such as `P10` for a 128 GiB Premium_LRS disk.
pub fn tier(storage_account_type: &str, size_gb: f64) -> Option<(String, &'static str)> {
    let (kind, redundancy) = storage_account_type.split_once('_')?;
    let letter = match kind {
        "Standard" => "S",
        "StandardSSD" => "E",
        "Premium" => "P",
        _ => return None,
    };
    let redundancy = match redundancy {
        "LRS" => "lrs",
        "ZRS" => "zrs",
        _ => return None,
    };
    let number = TIERS.iter().find(|(max, _)| size_gb <= *max)?.1;
    Some((format!("{letter}{number}"), redundancy))
}

/// One tiered disk's monthly price, named with `prefix`.
pub fn tiered_disk(
    ctx: &Ctx,
    prefix: &str,
    storage_account_type: &str,
    size_gb: f64,
    count: f64,
) -> Component {
    match tier(storage_account_type, size_gb) {
        Some((tier, redundancy)) => Component::new(
            format!("{prefix}Storage ({tier}, {})", redundancy.to_uppercase()),
            "disk-month",
            ctx.price(
                "managed-disk",
                "disk_month",
                &format!("{}:{redundancy}", tier.to_ascii_lowercase()),
            ),
            Quantity::Monthly(count),
        ),
        None => Component::new(
            format!("{prefix}Storage ({storage_account_type}, {size_gb} GiB)"),
            "disk-month",
            Err(NotPriced::NotInTable {
                what: format!("`{storage_account_type}` disks"),
                region: ctx.region.into(),
            }),
            Quantity::Monthly(count),
        ),
    }
}

pub fn managed_disk(ctx: &Ctx, f: &Fields) -> Result<Vec<Component>, NotPriced> {
    let kind = match f.str("storage_account_type") {
        Known(k) => k.into_owned(),
        _ => return Err(unknown("storage_account_type")),
    };
    let size = match number(f.get("disk_size_gb")) {
        Known(gb) => gb,
        Unknown => return Err(unknown("disk_size_gb")),
        Absent => 32.0,
    };
    if kind == "UltraSSD_LRS" {
        return Ok(ultra(ctx, f, size));
    }
    Ok(vec![tiered_disk(ctx, "", &kind, size, 1.0)])
}

/// Ultra disks bill their size rounded up to the next size step, plus the
/// IOPS and MB/s they are provisioned with.
fn ultra(ctx: &Ctx, f: &Fields, size_gb: f64) -> Vec<Component> {
    let billed = if size_gb <= 512.0 {
        size_gb.max(4.0).log2().ceil().exp2()
    } else {
        (size_gb / 1024.0).ceil() * 1024.0
    };
    let mut out = vec![Component::new(
        format!("Storage (ultra, {billed} GiB)"),
        "GiB-month",
        ctx.price("managed-disk", "gb_month", "ultra"),
        Quantity::Monthly(billed),
    )];
    if let Known(iops) = number(f.get("disk_iops_read_write")) {
        out.push(Component::new(
            "Provisioned IOPS",
            "IOPS-month",
            ctx.price("managed-disk", "iops_month", "ultra-iops"),
            Quantity::Monthly(iops),
        ));
    }
    if let Known(mbps) = number(f.get("disk_mbps_read_write")) {
        let price = ctx.price("managed-disk", "mbps_month", "ultra-throughput");
        out.push(Component::new(
            "Throughput",
            "MBps-month",
            price,
            Quantity::Monthly(mbps),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_sizes_to_tiers() {
        assert_eq!(tier("Premium_LRS", 128.0), Some(("P10".into(), "lrs")));
        assert_eq!(tier("Standard_LRS", 30.0), Some(("S4".into(), "lrs")));
        assert_eq!(tier("StandardSSD_ZRS", 1000.0), Some(("E30".into(), "zrs")));
        assert_eq!(tier("UltraSSD_LRS", 10.0), None);
    }
}
