//! AKS: `azurerm_kubernetes_cluster` (the Standard tier's uptime SLA and the
//! default node pool) and `azurerm_kubernetes_cluster_node_pool`.

use tfwarden_sdk::prelude::*;

use crate::estimate::{Component, HOURS_PER_MONTH, NotPriced, Quantity};
use crate::fields::{Fields, number};
use crate::resources::azure::disk::tiered_disk;
use crate::resources::azure::vm::{Os, compute};
use crate::resources::context::{Ctx, required_str, unknown};

pub const CLUSTER_USAGE: &[&str] = &["default_node_pool.nodes", "default_node_pool.monthly_hrs"];
pub const CLUSTER_SKU: &[&str] = &["default_node_pool.0.vm_size"];
pub const NODE_POOL_USAGE: &[&str] = &["nodes", "monthly_hrs"];
pub const NODE_POOL_SKU: &[&str] = &["vm_size"];

/// AKS gives each node a 128 GB managed OS disk unless told otherwise.
const DEFAULT_OS_DISK_GB: f64 = 128.0;

pub fn cluster(ctx: &Ctx, f: &Fields) -> Result<Vec<Component>, NotPriced> {
    let mut out = Vec::new();
    match f.str("sku_tier") {
        Known(t) if t == "Standard" || t == "Paid" => {
            out.push(ctx.per_hour(
                "Uptime SLA (Standard tier)",
                ctx.price("aks", "hour", "standard-tier"),
                1.0,
            ));
        }
        Known(t) if t == "Premium" => out.push(ctx.per_hour(
            "Premium tier",
            Err(NotPriced::NotInTable {
                what: "the AKS Premium tier".into(),
                region: ctx.region.into(),
            }),
            1.0,
        )),
        _ => {}
    }
    let pool = Fields::of(f.block("default_node_pool"));
    let nodes = ctx.usage("default_node_pool.nodes");
    let mut pool_out = pool_components(
        ctx,
        &pool,
        nodes,
        "default_node_pool / ",
        "default_node_pool.0.",
    )?;
    // The default pool's hours have their own usage key, as its nodes do.
    if let Some(hours) = ctx.usage("default_node_pool.monthly_hrs") {
        let nodes = pool_out.first().map_or(0.0, |c| match c.quantity {
            Quantity::Monthly(q) | Quantity::FromUsage(q) => q / HOURS_PER_MONTH,
            Quantity::DependsOnUsage { .. } => 0.0,
        });
        pool_out[0].quantity = Quantity::FromUsage(hours * nodes);
    }
    out.extend(pool_out);
    Ok(out)
}

pub fn node_pool(ctx: &Ctx, f: &Fields) -> Result<Vec<Component>, NotPriced> {
    pool_components(ctx, f, ctx.usage("nodes"), "", "")
}

fn pool_components(
    ctx: &Ctx,
    pool: &Fields,
    usage_nodes: Option<f64>,
    prefix: &str,
    path: &str,
) -> Result<Vec<Component>, NotPriced> {
    let size = required_str(pool.get("vm_size"), &format!("{path}vm_size"))?;
    let count = match usage_nodes {
        Some(n) => n,
        None => match (
            number(pool.get("node_count")),
            number(pool.get("min_count")),
        ) {
            (Known(n), _) => n,
            (_, Known(n)) => n,
            (Unknown, _) => return Err(unknown(&format!("{path}node_count"))),
            _ => 1.0,
        },
    };
    let windows = matches!(pool.str("os_type"), Known(t) if t == "Windows")
        || matches!(pool.str("os_sku"), Known(s) if s.starts_with("Windows"));
    let os = if windows { Os::Windows } else { Os::Linux };
    let spot = matches!(pool.str("priority"), Known(p) if p == "Spot");
    let mut out = vec![compute(ctx, &size, os, false, spot, count)];
    out[0].name.insert_str(0, prefix);
    let ephemeral = matches!(pool.str("os_disk_type"), Known(t) if t == "Ephemeral");
    if !ephemeral {
        let gb = number(pool.get("os_disk_size_gb"))
            .known()
            .unwrap_or(DEFAULT_OS_DISK_GB);
        let kind = if supports_premium_storage(&size) {
            "Premium_LRS"
        } else {
            "Standard_LRS"
        };
        out.push(tiered_disk(
            ctx,
            &format!("{prefix}os_disk / "),
            kind,
            gb,
            count,
        ));
    }
    Ok(out)
}

/// AKS puts OS disks on Premium storage when the VM size supports it, which
/// Azure marks with an `s` among the size's feature letters (`DS2_v2`, `D4s_v5`).
fn supports_premium_storage(size: &str) -> bool {
    let name = size
        .strip_prefix("Standard_")
        .or_else(|| size.strip_prefix("Basic_"))
        .unwrap_or(size);
    let head = name.split('_').next().unwrap_or(name).to_ascii_lowercase();
    head.chars().skip(1).any(|c| c == 's')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spots_premium_capable_sizes() {
        assert!(supports_premium_storage("Standard_DS2_v2"));
        assert!(supports_premium_storage("Standard_D4s_v5"));
        assert!(!supports_premium_storage("Standard_D2_v2"));
        assert!(!supports_premium_storage("Basic_A2"));
    }
}
