//! Google networking: Cloud NAT (`google_compute_router_nat`, billed per
//! assigned VM and per GB) and static external addresses.

use tfwarden_sdk::prelude::*;

use crate::estimate::{Component, HOURS_PER_MONTH, NotPriced, Quantity};
use crate::fields::Fields;
use crate::resources::context::Ctx;

pub const NAT_USAGE: &[&str] = &["assigned_vms", "monthly_data_processed_gb"];
pub const ADDRESS_USAGE: &[&str] = &[];
pub const NO_SKU: &[&str] = &[];

/// Cloud NAT bills each assigned VM up to 32, then a flat gateway rate.
const NAT_VM_CAP: f64 = 32.0;

pub fn router_nat(ctx: &Ctx, _: &Fields) -> Result<Vec<Component>, NotPriced> {
    let per_vm = ctx.price("cloud-nat", "hour", "vm").or_else(|_| {
        ctx.price("cloud-nat", "hour", "gateway-cap")
            .map(|cap| cap / NAT_VM_CAP)
    });
    let vm_hours = match ctx.usage("assigned_vms") {
        Some(vms) => Quantity::FromUsage(vms.min(NAT_VM_CAP) * HOURS_PER_MONTH),
        None => Quantity::DependsOnUsage {
            key: "assigned_vms",
        },
    };
    Ok(vec![
        Component::new("Assigned VMs (up to 32)", "VM-hour", per_vm, vm_hours),
        Component::new(
            "Data processed",
            "GB",
            ctx.price("cloud-nat", "gb", "data"),
            ctx.usage_quantity("monthly_data_processed_gb", 1.0),
        ),
    ])
}

/// Internal addresses are free. An external one costs the in-use rate when an
/// instance in the plan uses it, else the higher reserved-but-unused rate.
pub fn address(ctx: &Ctx, f: &Fields) -> Result<Vec<Component>, NotPriced> {
    if matches!(f.str("address_type"), Known(t) if t == "INTERNAL") {
        return Ok(Vec::new());
    }
    let users = ctx.index.config.referrers(ctx.address);
    let by_instance = users.iter().find(|u| {
        let tail = &u[crate::config::module_instance_prefix(u).len()..];
        tail.starts_with("google_compute_instance.")
    });
    Ok(vec![match by_instance {
        Some(instance) => ctx.per_hour(
            format!("IP address (in use by {instance})"),
            ctx.price("gce-ip", "hour", "vm"),
            1.0,
        ),
        None => ctx.per_hour(
            "IP address (reserved, not used by an instance in this plan)",
            ctx.price("gce-ip", "hour", "unused"),
            1.0,
        ),
    }])
}
