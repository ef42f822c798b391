//! GKE: `google_container_cluster` (the management fee, Autopilot capacity,
//! and its default or inline node pools) and `google_container_node_pool`.

use tfwarden_sdk::prelude::*;

use crate::estimate::{Component, NotPriced, Quantity};
use crate::fields::{Fields, first, number};
use crate::region::Cloud;
use crate::resources::context::Ctx;
use crate::resources::google::compute::MachineSpec;

pub const CLUSTER_USAGE: &[&str] = &[
    "nodes",
    "autopilot_vcpu_count",
    "autopilot_memory_gb",
    "autopilot_ephemeral_storage_gb",
];
pub const CLUSTER_SKU: &[&str] = &["node_config.0.machine_type"];
pub const NODE_POOL_USAGE: &[&str] = &["nodes"];
pub const NODE_POOL_SKU: &[&str] = &["node_config.0.machine_type"];

/// A regional cluster spreads each node pool over three zones unless told otherwise.
const REGIONAL_ZONES: f64 = 3.0;
/// GKE creates three nodes per zone when no count is given.
const DEFAULT_NODES_PER_ZONE: f64 = 3.0;

pub fn cluster(ctx: &Ctx, f: &Fields) -> Result<Vec<Component>, NotPriced> {
    if f.bool("enable_autopilot") == Known(true) {
        let mut out = vec![ctx.per_hour(
            "Autopilot cluster management fee",
            ctx.price("gke", "hour", "autopilot-cluster"),
            1.0,
        )];
        for (name, unit, key, usage) in [
            (
                "Autopilot vCPU",
                "vCPU-month",
                "autopilot-vcpu",
                "autopilot_vcpu_count",
            ),
            (
                "Autopilot memory",
                "GB-month",
                "autopilot-memory",
                "autopilot_memory_gb",
            ),
            (
                "Autopilot ephemeral storage",
                "GB-month",
                "autopilot-ephemeral-storage",
                "autopilot_ephemeral_storage_gb",
            ),
        ] {
            let table_unit = if unit == "vCPU-month" {
                "vcpu_month"
            } else {
                "gb_month"
            };
            out.push(Component::new(
                name,
                unit,
                ctx.price("gke", table_unit, key),
                ctx.usage_quantity(usage, 1.0),
            ));
        }
        return Ok(out);
    }
    let mut out = vec![ctx.per_hour(
        "Cluster management fee",
        ctx.price("gke", "hour", "cluster"),
        1.0,
    )];
    let cluster_zones = zones(f.get("node_locations"), f.get("location"));
    let inline_pools = f.get("node_pool").items().known().unwrap_or_default();
    if !inline_pools.is_empty() {
        for (i, pool) in inline_pools.iter().enumerate() {
            let zones = match zones(pool.get("node_locations"), Value::ABSENT) {
                Some(z) => Some(z),
                None => cluster_zones,
            };
            out.extend(pool_components(
                ctx,
                *pool,
                zones,
                &format!("node_pool[{i}] / "),
                None,
            ));
        }
    } else if f.bool("remove_default_node_pool") != Known(true) {
        let pool = DefaultPool {
            node_config: f.block("node_config"),
            initial_node_count: f.get("initial_node_count"),
        };
        out.extend(pool.components(ctx, cluster_zones));
    }
    Ok(out)
}

struct DefaultPool<'a> {
    node_config: Value<'a>,
    initial_node_count: Value<'a>,
}

impl DefaultPool<'_> {
    fn components(&self, ctx: &Ctx, zones: Option<f64>) -> Vec<Component> {
        let spec = MachineSpec::of_node_config(self.node_config);
        let per_zone = match ctx.usage("nodes") {
            Some(n) => Ok((n, "")),
            None => match number(self.initial_node_count) {
                Known(n) => Ok((n, "")),
                Unknown => Err(NotPriced::UnknownUntilApply {
                    path: "initial_node_count".into(),
                }),
                Absent => Ok((DEFAULT_NODES_PER_ZONE, " (3 nodes per zone assumed)")),
            },
        };
        nodes(ctx, &spec, per_zone, zones, "default_pool / ")
    }
}

fn pool_components(
    ctx: &Ctx,
    pool: Value<'_>,
    zones: Option<f64>,
    prefix: &str,
    usage_nodes: Option<f64>,
) -> Vec<Component> {
    let spec = MachineSpec::of_node_config(first(pool.get("node_config")));
    let per_zone = match usage_nodes {
        Some(n) => Ok((n, "")),
        None => nodes_per_zone(pool),
    };
    nodes(ctx, &spec, per_zone, zones, prefix)
}

/// Nodes per zone: `node_count`, else the autoscaler's minimum, else the
/// initial count, else GKE's default.
fn nodes_per_zone(pool: Value<'_>) -> Result<(f64, &'static str), NotPriced> {
    for path in [
        "node_count",
        "autoscaling.0.min_node_count",
        "initial_node_count",
    ] {
        match number(pool.path(path)) {
            Known(n) => return Ok((n, "")),
            Unknown if path == "node_count" && pool.get("autoscaling").is_absent() => {
                if let Known(n) = number(pool.get("initial_node_count")) {
                    return Ok((n, ""));
                }
                return Err(NotPriced::UnknownUntilApply { path: path.into() });
            }
            _ => {}
        }
    }
    Ok((DEFAULT_NODES_PER_ZONE, " (3 nodes per zone assumed)"))
}

fn nodes(
    ctx: &Ctx,
    spec: &MachineSpec,
    per_zone: Result<(f64, &'static str), NotPriced>,
    zones: Option<f64>,
    prefix: &str,
) -> Vec<Component> {
    let (count, note) = match (per_zone, zones) {
        (Ok((n, note)), Some(z)) => (Ok(n * z), note),
        (Err(reason), _) => (Err(reason), ""),
        (Ok(_), None) => (
            Err(NotPriced::UnknownUntilApply {
                path: "location".into(),
            }),
            "",
        ),
    };
    match count {
        Ok(count) => {
            let mut components = spec.components(ctx, count, prefix);
            if !note.is_empty() {
                components[0].name.push_str(note);
            }
            components
        }
        Err(reason) => vec![Component::new(
            format!("{prefix}Nodes"),
            "hour",
            Err(reason),
            Quantity::Monthly(0.0),
        )],
    }
}

/// How many zones a pool spans: its node locations, else one for a zonal
/// location and three for a regional one.
fn zones(node_locations: Value<'_>, location: Value<'_>) -> Option<f64> {
    if let Known(list) = node_locations.items()
        && !list.is_empty()
    {
        return Some(list.len() as f64);
    }
    match location.str() {
        Known(loc) => Some(
            if Cloud::Google.normalise(&loc) == loc.to_ascii_lowercase() {
                REGIONAL_ZONES
            } else {
                1.0
            },
        ),
        _ => None,
    }
}

pub fn node_pool(ctx: &Ctx, f: &Fields) -> Result<Vec<Component>, NotPriced> {
    // A new pool's location is copied from its cluster only at apply, so
    // follow the `cluster` reference to see how many zones it spans.
    let zones = zones(f.get("node_locations"), f.get("location")).or_else(|| {
        let cluster = ctx.referenced("cluster", &["google_container_cluster"])?;
        zones(cluster.get("node_locations"), cluster.get("location"))
    });
    Ok(pool_components(
        ctx,
        f.value(),
        zones,
        "",
        ctx.usage("nodes"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_zones_from_locations() {
        let regional = Value::new(Some(r#""us-central1""#), None);
        let zonal = Value::new(Some(r#""us-central1-a""#), None);
        let two = Value::new(Some(r#"["us-central1-a","us-central1-b"]"#), None);
        assert_eq!(zones(Value::ABSENT, regional), Some(3.0));
        assert_eq!(zones(Value::ABSENT, zonal), Some(1.0));
        assert_eq!(zones(two, regional), Some(2.0));
        assert_eq!(zones(Value::ABSENT, Value::ABSENT), None);
    }
}
