//! `aws_ebs_volume`: storage by type, plus provisioned IOPS and throughput.

use tfwarden_sdk::prelude::*;

use crate::estimate::{Component, NotPriced};
use crate::fields::{Fields, number};
use crate::resources::aws::ec2::{Volume, storage_label, volume_components};
use crate::resources::context::{Ctx, unknown};

pub const USAGE: &[&str] = &["monthly_standard_io_requests"];
pub const SKU: &[&str] = &["type"];

pub fn price(ctx: &Ctx, f: &Fields) -> Result<Vec<Component>, NotPriced> {
    // AWS creates gp2 volumes when no type is given.
    let (volume_type, assumed) = ctx.or_default(f.get("type"), "type", "gp2")?;
    let size_gb = match number(f.get("size")) {
        Known(gb) => Ok(gb),
        Unknown => Err(unknown("size")),
        Absent => Err(NotPriced::Unresolved(
            "`size` is not set (it comes from a snapshot)".into(),
        )),
    };
    let volume = Volume {
        label: String::new(),
        iops: number(f.get("iops")).known(),
        throughput: number(f.get("throughput")).known(),
        volume_type,
        size_gb,
        assumed: if assumed {
            " (gp2 assumed; known after apply)"
        } else {
            ""
        },
    };
    let mut out = volume_components(ctx, &volume, 1.0);
    if volume.volume_type == "standard" {
        let price = ctx.price("ebs-io", "1m_requests", "standard");
        let quantity = ctx.usage_quantity("monthly_standard_io_requests", 1e-6);
        out.push(Component::new(
            format!("I/O requests ({})", storage_label("standard")),
            "1M requests",
            price,
            quantity,
        ));
    }
    Ok(out)
}
