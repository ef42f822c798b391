//! `aws_opensearch_domain` and `aws_elasticsearch_domain`: data, dedicated
//! master and UltraWarm nodes, and EBS storage per data node.

use tfwarden_sdk::prelude::*;

use crate::estimate::{Component, NotPriced, Quantity};
use crate::fields::{Fields, number};
use crate::resources::context::{Ctx, unknown};

pub const USAGE: &[&str] = &[];
pub const SKU: &[&str] = &[
    "cluster_config.0.instance_type",
    "cluster_config.0.dedicated_master_type",
    "cluster_config.0.warm_type",
];

pub fn price(ctx: &Ctx, f: &Fields) -> Result<Vec<Component>, NotPriced> {
    let cluster = f.block("cluster_config");
    let data_type = match cluster.get("instance_type").str() {
        Known(t) => normalise(&t),
        Unknown => return Err(unknown("cluster_config.0.instance_type")),
        Absent => "m4.large.search".into(),
    };
    let data_nodes = number(cluster.get("instance_count")).known().unwrap_or(1.0);
    let mut out = vec![node(ctx, "Instance", &data_type, data_nodes)];
    if cluster.get("dedicated_master_enabled").bool() == Known(true) {
        let kind = cluster
            .get("dedicated_master_type")
            .str()
            .known()
            .map_or(data_type.clone(), |t| normalise(&t));
        let count = number(cluster.get("dedicated_master_count"))
            .known()
            .unwrap_or(3.0);
        out.push(node(ctx, "Dedicated master", &kind, count));
    }
    if cluster.get("warm_enabled").bool() == Known(true)
        && let Known(kind) = cluster.get("warm_type").str()
    {
        let count = number(cluster.get("warm_count")).known().unwrap_or(1.0);
        out.push(node(ctx, "UltraWarm instance", &normalise(&kind), count));
    }
    let ebs = f.block("ebs_options");
    if ebs.get("ebs_enabled").bool() == Known(true) {
        let volume_type = ebs
            .get("volume_type")
            .str()
            .known()
            .map_or("gp2".into(), |t| t.into_owned());
        let size = match number(ebs.get("volume_size")) {
            Known(gb) => gb,
            Unknown => return Err(unknown("ebs_options.0.volume_size")),
            Absent => 10.0,
        };
        // The volume size is per data node.
        out.push(Component::new(
            format!("Storage ({volume_type})"),
            "GB-month",
            ctx.price("opensearch-storage", "gb_month", &volume_type),
            Quantity::Monthly(size * data_nodes),
        ));
        if volume_type == "io1"
            && let Known(iops) = number(ebs.get("iops"))
        {
            let price = ctx.price("opensearch-iops", "iops_month", "io1");
            out.push(Component::new(
                "Storage IOPS (io1)",
                "IOPS-month",
                price,
                Quantity::Monthly(iops * data_nodes),
            ));
        }
    }
    Ok(out)
}

/// Elasticsearch-era type names end in `.elasticsearch`; prices use `.search`.
fn normalise(instance_type: &str) -> String {
    instance_type.replace(".elasticsearch", ".search")
}

fn node(ctx: &Ctx, role: &str, kind: &str, count: f64) -> Component {
    ctx.per_hour(
        format!("{role} (on-demand, {kind})"),
        ctx.price("opensearch", "hour", kind),
        count,
    )
}
