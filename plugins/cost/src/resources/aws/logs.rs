//! `aws_cloudwatch_log_group`: ingestion, storage and Logs Insights scans,
//! all from usage figures.

use crate::estimate::{Component, NotPriced};
use crate::fields::Fields;
use crate::resources::context::Ctx;

pub const USAGE: &[&str] = &[
    "monthly_data_ingested_gb",
    "storage_gb",
    "monthly_data_scanned_gb",
];
pub const SKU: &[&str] = &[];

pub fn price(ctx: &Ctx, _: &Fields) -> Result<Vec<Component>, NotPriced> {
    Ok(vec![
        Component::new(
            "Data ingested",
            "GB",
            ctx.price("logs", "gb", "ingestion"),
            ctx.usage_quantity("monthly_data_ingested_gb", 1.0),
        ),
        Component::new(
            "Archival storage",
            "GB-month",
            ctx.price("logs", "gb_month", "storage"),
            ctx.usage_quantity("storage_gb", 1.0),
        ),
        Component::new(
            "Insights queries data scanned",
            "GB",
            ctx.price("logs", "gb", "insights"),
            ctx.usage_quantity("monthly_data_scanned_gb", 1.0),
        ),
    ])
}
