//! Azure virtual machines and scale sets (Linux and Windows) with their OS
//! disks; AKS node pools reuse the same pieces.

use tfwarden_sdk::prelude::*;

use crate::estimate::{Component, NotPriced};
use crate::fields::{Fields, number};
use crate::resources::azure::disk::tiered_disk;
use crate::resources::context::{Ctx, required_str, unknown};

pub const VM_USAGE: &[&str] = &["monthly_hrs"];
pub const VM_SKU: &[&str] = &["size"];
pub const SCALE_SET_USAGE: &[&str] = &["instances", "monthly_hrs"];
pub const SCALE_SET_SKU: &[&str] = &["sku"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Os {
    Linux,
    Windows,
}

/// Hours of `size` running `count` at once; Windows without Azure Hybrid
/// Benefit includes its licence.
pub fn compute(
    ctx: &Ctx,
    size: &str,
    os: Os,
    hybrid_benefit: bool,
    spot: bool,
    count: f64,
) -> Component {
    let (label, service) = match (os, hybrid_benefit) {
        (Os::Linux, _) => ("Linux, pay as you go", "vm"),
        (Os::Windows, false) => ("Windows, pay as you go", "vm-windows"),
        (Os::Windows, true) => ("Windows, hybrid benefit", "vm"),
    };
    let price = if spot {
        Err(NotPriced::NotInTable {
            what: "Azure spot prices".into(),
            region: ctx.region.into(),
        })
    } else {
        ctx.price(service, "hour", &size.to_ascii_lowercase())
    };
    ctx.per_hour(format!("Instance usage ({label}, {size})"), price, count)
}

/// An `os_disk` block: its tier from type and size; the size defaults to the
/// image's (30 GB for Linux, 127 GB for Windows).
pub fn os_disk(ctx: &Ctx, block: Value<'_>, os: Os, count: f64) -> Option<Component> {
    let kind = block.get("storage_account_type").str().known()?;
    let size = number(block.get("disk_size_gb"))
        .known()
        .unwrap_or(match os {
            Os::Linux => 30.0,
            Os::Windows => 127.0,
        });
    Some(tiered_disk(ctx, "os_disk / ", &kind, size, count))
}

fn is_spot(f: &Fields) -> bool {
    matches!(f.str("priority"), Known(p) if p == "Spot")
}

fn hybrid_benefit(f: &Fields) -> bool {
    matches!(f.str("license_type"), Known(l) if l == "Windows_Server" || l == "Windows_Client")
}

fn vm(ctx: &Ctx, f: &Fields, os: Os) -> Result<Vec<Component>, NotPriced> {
    let size = required_str(f.get("size"), "size")?;
    let mut out = vec![compute(ctx, &size, os, hybrid_benefit(f), is_spot(f), 1.0)];
    out.extend(os_disk(ctx, f.block("os_disk"), os, 1.0));
    Ok(out)
}

pub fn linux_vm(ctx: &Ctx, f: &Fields) -> Result<Vec<Component>, NotPriced> {
    vm(ctx, f, Os::Linux)
}

pub fn windows_vm(ctx: &Ctx, f: &Fields) -> Result<Vec<Component>, NotPriced> {
    vm(ctx, f, Os::Windows)
}

fn scale_set(ctx: &Ctx, f: &Fields, os: Os) -> Result<Vec<Component>, NotPriced> {
    let size = required_str(f.get("sku"), "sku")?;
    let count = match ctx.usage("instances") {
        Some(n) => n,
        None => match number(f.get("instances")) {
            Known(n) => n,
            Unknown => return Err(unknown("instances")),
            Absent => 0.0,
        },
    };
    let mut out = vec![compute(
        ctx,
        &size,
        os,
        hybrid_benefit(f),
        is_spot(f),
        count,
    )];
    out.extend(os_disk(ctx, f.block("os_disk"), os, count));
    Ok(out)
}

pub fn linux_scale_set(ctx: &Ctx, f: &Fields) -> Result<Vec<Component>, NotPriced> {
    scale_set(ctx, f, Os::Linux)
}

pub fn windows_scale_set(ctx: &Ctx, f: &Fields) -> Result<Vec<Component>, NotPriced> {
    scale_set(ctx, f, Os::Windows)
}
