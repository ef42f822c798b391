//! `google_storage_bucket`: storage by class and location (region,
//! dual-region or multi-region) and operations, from usage figures.

use tfwarden_sdk::prelude::*;

use crate::estimate::{Component, NotPriced};
use crate::fields::Fields;
use crate::resources::context::{Ctx, unknown};

pub const USAGE: &[&str] = &[
    "storage_gb",
    "monthly_class_a_operations",
    "monthly_class_b_operations",
];
pub const SKU: &[&str] = &["storage_class"];

pub fn price(ctx: &Ctx, f: &Fields) -> Result<Vec<Component>, NotPriced> {
    let class = match f.str("storage_class") {
        Known(c) if !c.is_empty() => c.to_ascii_lowercase(),
        Unknown => return Err(unknown("storage_class")),
        _ => "standard".into(),
    };
    let mut out = vec![Component::new(
        format!("Storage ({class})"),
        "GB-month",
        ctx.price("gcs", "gb_month", &class),
        ctx.usage_quantity("storage_gb", 1.0),
    )];
    for (name, key, usage) in [
        (
            "Class A operations",
            "class-a",
            "monthly_class_a_operations",
        ),
        (
            "Class B operations",
            "class-b",
            "monthly_class_b_operations",
        ),
    ] {
        // Operation prices are known only for some locations; a usage
        // component without a price is left out rather than shown as unknown.
        if let Ok(price) = ctx.price("gcs-ops", "10k_operations", &format!("{class}:{key}")) {
            out.push(Component::new(
                name,
                "10k operations",
                Ok(price),
                ctx.usage_quantity(usage, 1e-4),
            ));
        }
    }
    Ok(out)
}
