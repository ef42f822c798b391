//! `aws_lambda_function`: requests and GB-seconds, both from usage figures;
//! duration is tiered and cheaper on arm64.

use tfwarden_sdk::prelude::*;

use crate::estimate::{Component, NotPriced, Quantity};
use crate::fields::{Fields, number};
use crate::resources::context::Ctx;

pub const USAGE: &[&str] = &["monthly_requests", "request_duration_ms"];
pub const SKU: &[&str] = &[];

/// GB-second tiers per month for each architecture.
const X86_TIERS: &[f64] = &[6e9, 9e9, f64::INFINITY];
const ARM_TIERS: &[f64] = &[7.5e9, 11.25e9, f64::INFINITY];
const TIER_LABELS: &[&str] = &["first", "next", "over"];

pub fn price(ctx: &Ctx, f: &Fields) -> Result<Vec<Component>, NotPriced> {
    let memory_gb = number(f.get("memory_size")).known().unwrap_or(128.0) / 1024.0;
    let arch = match f.get("architectures").index(0).str() {
        Known(a) if a == "arm64" => "arm64",
        _ => "x86_64",
    };
    let requests = ctx.usage("monthly_requests");
    let mut out = vec![Component::new(
        "Requests",
        "1M requests",
        ctx.price("lambda", "1m_requests", "requests"),
        ctx.usage_quantity("monthly_requests", 1e-6),
    )];
    let tiers = if arch == "arm64" {
        ARM_TIERS
    } else {
        X86_TIERS
    };
    match (requests, ctx.usage("request_duration_ms")) {
        (Some(n), Some(ms)) => {
            let mut remaining = n * ms / 1000.0 * memory_gb;
            for (i, size) in tiers.iter().enumerate() {
                if remaining <= 0.0 && i > 0 {
                    break;
                }
                let used = remaining.min(*size);
                remaining -= used;
                let price = ctx.price(
                    "lambda-duration",
                    "gb_second",
                    &format!("{arch}-tier-{}", i + 1),
                );
                let name = format!("Duration ({arch}, {} tier)", TIER_LABELS[i]);
                out.push(Component::new(
                    name,
                    "GB-second",
                    price,
                    Quantity::FromUsage(used),
                ));
            }
        }
        _ => {
            let price = ctx.price("lambda-duration", "gb_second", &format!("{arch}-tier-1"));
            let key = if requests.is_none() {
                "monthly_requests"
            } else {
                "request_duration_ms"
            };
            out.push(Component::new(
                format!("Duration ({arch})"),
                "GB-second",
                price,
                Quantity::DependsOnUsage { key },
            ));
        }
    }
    Ok(out)
}
