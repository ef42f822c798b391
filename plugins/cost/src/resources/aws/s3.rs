//! `aws_s3_bucket`: storage and requests by storage class, all from usage
//! figures. Without any, the Standard class is shown as "depends on usage".

use crate::estimate::{Component, NotPriced, Quantity};
use crate::fields::Fields;
use crate::resources::context::Ctx;

/// Usage prefix (as Infracost names it), price-table class and display name.
const CLASSES: &[(&str, &str, &str)] = &[
    ("standard", "standard", "Standard"),
    (
        "intelligent_tiering",
        "intelligent_tiering",
        "Intelligent-Tiering",
    ),
    ("standard_infrequent_access", "standard_ia", "Standard-IA"),
    ("one_zone_infrequent_access", "onezone_ia", "One Zone-IA"),
    (
        "glacier_flexible_retrieval",
        "glacier",
        "Glacier Flexible Retrieval",
    ),
    (
        "glacier_deep_archive",
        "deep_archive",
        "Glacier Deep Archive",
    ),
];

pub const USAGE: &[&str] = &[
    "standard.storage_gb",
    "standard.monthly_tier_1_requests",
    "standard.monthly_tier_2_requests",
    "intelligent_tiering.frequent_access_storage_gb",
    "intelligent_tiering.monthly_tier_1_requests",
    "intelligent_tiering.monthly_tier_2_requests",
    "standard_infrequent_access.storage_gb",
    "standard_infrequent_access.monthly_tier_1_requests",
    "standard_infrequent_access.monthly_tier_2_requests",
    "one_zone_infrequent_access.storage_gb",
    "one_zone_infrequent_access.monthly_tier_1_requests",
    "one_zone_infrequent_access.monthly_tier_2_requests",
    "glacier_flexible_retrieval.storage_gb",
    "glacier_flexible_retrieval.monthly_tier_1_requests",
    "glacier_flexible_retrieval.monthly_tier_2_requests",
    "glacier_deep_archive.storage_gb",
    "glacier_deep_archive.monthly_tier_1_requests",
    "glacier_deep_archive.monthly_tier_2_requests",
];
pub const SKU: &[&str] = &[];

pub fn price(ctx: &Ctx, _: &Fields) -> Result<Vec<Component>, NotPriced> {
    let mut out = Vec::new();
    for (prefix, class, label) in CLASSES {
        let storage_key = if *prefix == "intelligent_tiering" {
            "frequent_access_storage_gb"
        } else {
            "storage_gb"
        };
        let dimensions = [
            (
                storage_key,
                "storage",
                "gb_month",
                "Storage",
                "GB-month",
                1.0,
            ),
            (
                "monthly_tier_1_requests",
                "put",
                "1k_requests",
                "PUT, COPY, POST, LIST requests",
                "1k requests",
                1e-3,
            ),
            (
                "monthly_tier_2_requests",
                "get",
                "1k_requests",
                "GET, SELECT and other requests",
                "1k requests",
                1e-3,
            ),
        ];
        let used = dimensions
            .iter()
            .any(|d| ctx.usage(&format!("{prefix}.{}", d.0)).is_some());
        if !used && *prefix != "standard" {
            continue;
        }
        for (usage_key, dimension, unit, name, shown_unit, scale) in dimensions {
            let key = USAGE
                .iter()
                .find(|k| **k == format!("{prefix}.{usage_key}"))
                .copied()
                .unwrap_or("standard.storage_gb");
            let quantity = match ctx.usage(key) {
                Some(v) => Quantity::FromUsage(v * scale),
                None => Quantity::DependsOnUsage { key },
            };
            let price = ctx.price("s3", unit, &format!("{class}:{dimension}"));
            out.push(Component::new(
                format!("{label} / {name}"),
                shown_unit,
                price,
                quantity,
            ));
        }
    }
    Ok(out)
}
