//! Azure public IP addresses and NAT gateways.

use tfwarden_sdk::prelude::*;

use crate::estimate::{Component, NotPriced};
use crate::fields::Fields;
use crate::resources::context::Ctx;

pub const PUBLIC_IP_USAGE: &[&str] = &[];
pub const PUBLIC_IP_SKU: &[&str] = &["sku"];
pub const NAT_USAGE: &[&str] = &["monthly_data_processed_gb"];
pub const NAT_SKU: &[&str] = &[];

/// Standard addresses are always static; Basic ones may be dynamic.
pub fn public_ip(ctx: &Ctx, f: &Fields) -> Result<Vec<Component>, NotPriced> {
    let standard = matches!(f.str("sku"), Known(s) if s == "Standard");
    let allocation = match f.str("allocation_method") {
        Known(m) if m == "Dynamic" && !standard => "dynamic",
        _ => "static",
    };
    let scope = match f.str("sku_tier") {
        Known(t) if t == "Global" => "global",
        _ => "regional",
    };
    let price = ctx.price("public-ip", "hour", &format!("{allocation}-{scope}"));
    Ok(vec![ctx.per_hour(
        format!("IP address ({allocation}, {scope})"),
        price,
        1.0,
    )])
}

pub fn nat_gateway(ctx: &Ctx, _: &Fields) -> Result<Vec<Component>, NotPriced> {
    Ok(vec![
        ctx.per_hour(
            "NAT gateway",
            ctx.price("nat-gateway", "hour", "gateway"),
            1.0,
        ),
        Component::new(
            "Data processed",
            "GB",
            ctx.price("nat-gateway", "gb", "data"),
            ctx.usage_quantity("monthly_data_processed_gb", 1.0),
        ),
    ])
}
