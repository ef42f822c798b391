//! `aws_msk_cluster`: broker hours and broker storage.

use tfwarden_sdk::prelude::*;

use crate::estimate::{Component, NotPriced, Quantity};
use crate::fields::{Fields, number};
use crate::resources::context::{Ctx, required_str, unknown};

pub const USAGE: &[&str] = &[];
pub const SKU: &[&str] = &["broker_node_group_info.0.instance_type"];

pub fn price(ctx: &Ctx, f: &Fields) -> Result<Vec<Component>, NotPriced> {
    let brokers = match number(f.get("number_of_broker_nodes")) {
        Known(n) => n,
        _ => return Err(unknown("number_of_broker_nodes")),
    };
    let group = f.block("broker_node_group_info");
    let kind = required_str(
        group.get("instance_type"),
        "broker_node_group_info.0.instance_type",
    )?;
    let mut out = vec![ctx.per_hour(
        format!("Broker instance ({kind})"),
        ctx.price("msk", "hour", &kind),
        brokers,
    )];
    let size = match number(group.path("storage_info.0.ebs_storage_info.0.volume_size")) {
        Known(gb) => Known(gb),
        _ => number(group.get("ebs_volume_size")),
    };
    let storage_price = ctx.price("msk-storage", "gb_month", "standard");
    match size {
        Known(gb) => out.push(Component::new(
            "Broker storage",
            "GB-month",
            storage_price,
            Quantity::Monthly(gb * brokers),
        )),
        Unknown => out.push(Component::new(
            "Broker storage",
            "GB-month",
            Err(unknown("broker_node_group_info.0.ebs_volume_size")),
            Quantity::Monthly(0.0),
        )),
        Absent => {}
    }
    Ok(out)
}
