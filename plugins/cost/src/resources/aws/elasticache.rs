//! ElastiCache: `aws_elasticache_cluster` and `aws_elasticache_replication_group`,
//! node hours times nodes, plus snapshot storage beyond the free one.

use tfwarden_sdk::prelude::*;

use crate::estimate::{Component, NotPriced};
use crate::fields::{Fields, number};
use crate::resources::context::{Ctx, required_str, unknown};

pub const USAGE: &[&str] = &["snapshot_storage_size_gb"];
pub const SKU: &[&str] = &["node_type"];

pub fn cluster(ctx: &Ctx, f: &Fields) -> Result<Vec<Component>, NotPriced> {
    // A cluster that joins a replication group is billed through the group.
    if matches!(f.str("replication_group_id"), Known(id) if !id.is_empty()) {
        return Ok(Vec::new());
    }
    let nodes = match number(f.get("num_cache_nodes")) {
        Known(n) => n,
        Unknown => return Err(unknown("num_cache_nodes")),
        Absent => 1.0,
    };
    components(ctx, f, nodes)
}

pub fn replication_group(ctx: &Ctx, f: &Fields) -> Result<Vec<Component>, NotPriced> {
    let groups = number(f.get("num_node_groups"));
    let replicas = number(f.get("replicas_per_node_group"));
    let nodes = match (groups, replicas, number(f.get("num_cache_clusters"))) {
        (Known(g), Known(r), _) if g > 0.0 => g * (r + 1.0),
        (_, _, Known(n)) if n > 0.0 => n,
        (Known(g), Absent, _) if g > 0.0 => g,
        (Unknown, _, _) | (_, _, Unknown) => return Err(unknown("num_cache_clusters")),
        _ => 1.0,
    };
    components(ctx, f, nodes)
}

fn components(ctx: &Ctx, f: &Fields, nodes: f64) -> Result<Vec<Component>, NotPriced> {
    let node_type = required_str(f.get("node_type"), "node_type")?;
    let mut out = vec![ctx.per_hour(
        format!("ElastiCache (on-demand, {node_type})"),
        ctx.price("elasticache", "hour", &node_type),
        nodes,
    )];
    let keeps_snapshots = number(f.get("snapshot_retention_limit"))
        .known()
        .is_some_and(|days| days > 1.0);
    if keeps_snapshots {
        let quantity = ctx.usage_quantity("snapshot_storage_size_gb", 1.0);
        let price = ctx.price("elasticache-backup", "gb_month", "standard");
        out.push(Component::new(
            "Backup storage",
            "GB-month",
            price,
            quantity,
        ));
    }
    Ok(out)
}
