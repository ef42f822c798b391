//! `aws_eks_cluster` (the control plane) and `aws_eks_node_group` (its nodes,
//! directly or through a launch template).

use tfwarden_sdk::prelude::*;

use crate::estimate::{Component, NotPriced};
use crate::fields::{Fields, number};
use crate::resources::aws::ec2::{Machine, Volume};
use crate::resources::context::Ctx;

pub const CLUSTER_USAGE: &[&str] = &[];
pub const CLUSTER_SKU: &[&str] = &[];
pub const NODE_GROUP_USAGE: &[&str] = &[
    "instances",
    "monthly_hrs",
    "monthly_cpu_credit_hrs",
    "vcpu_count",
];
pub const NODE_GROUP_SKU: &[&str] = &["instance_types.*"];

/// The newest Kubernetes minor version past EKS standard support as of the
/// price table's date (1.32 left standard support in March 2026). Clusters on
/// it or older pay the extended-support rate. Review on every table refresh.
const LAST_EXTENDED_SUPPORT_MINOR: u32 = 32;

pub fn cluster(ctx: &Ctx, f: &Fields) -> Result<Vec<Component>, NotPriced> {
    let upgrades_automatically =
        matches!(f.block("upgrade_policy").get("support_type").str(), Known(t) if t == "STANDARD");
    let extended = !upgrades_automatically
        && match f.str("version") {
            Known(v) => minor_of(&v).is_some_and(|m| m <= LAST_EXTENDED_SUPPORT_MINOR),
            _ => false, // a new cluster without a version gets the latest one
        };
    Ok(vec![if extended {
        ctx.per_hour(
            "EKS cluster (extended support)",
            ctx.price("eks", "hour", "cluster-extended-support"),
            1.0,
        )
    } else {
        ctx.per_hour("EKS cluster", ctx.price("eks", "hour", "cluster"), 1.0)
    }])
}

fn minor_of(version: &str) -> Option<u32> {
    let mut parts = version.split('.');
    (parts.next()? == "1").then_some(())?;
    parts.next()?.parse().ok()
}

pub fn node_group(ctx: &Ctx, f: &Fields) -> Result<Vec<Component>, NotPriced> {
    let count = match ctx.usage("instances") {
        Some(n) => n,
        None => match number(f.block("scaling_config").get("desired_size")) {
            Known(n) => n,
            Unknown => {
                return Err(NotPriced::UnknownUntilApply {
                    path: "scaling_config.0.desired_size".into(),
                });
            }
            Absent => 1.0,
        },
    };
    if matches!(f.str("capacity_type"), Known(t) if t == "SPOT") {
        return Err(NotPriced::NotInTable {
            what: "EC2 spot prices".into(),
            region: ctx.region.into(),
        });
    }
    let template = ["launch_template.0.id", "launch_template.0.name"]
        .iter()
        .find_map(|path| ctx.referenced(path, &["aws_launch_template"]));
    if template.is_none() && !f.get("launch_template").is_absent() {
        return Err(NotPriced::Unresolved(
            "its launch template is not in this plan".into(),
        ));
    }
    let mut machine = match template {
        Some(t) => Machine::of_launch_template(t),
        None => Machine {
            instance_type: Ok("t3.medium".into()),
            dedicated: false,
            monitoring: false,
            ebs_optimized: false,
            cpu_credits: None,
            volumes: vec![Volume {
                label: String::new(),
                volume_type: "gp2".into(),
                size_gb: Ok(number(f.get("disk_size")).known().unwrap_or(20.0)),
                iops: None,
                throughput: None,
                assumed: "",
            }],
        },
    };
    match f.get("instance_types").index(0).str() {
        Known(t) => machine.instance_type = Ok(t.into_owned()),
        Unknown => {
            machine.instance_type = Err(NotPriced::UnknownUntilApply {
                path: "instance_types".into(),
            })
        }
        // Without instance types, EKS uses the launch template's, or t3.medium.
        Absent if machine.instance_type.is_err() && template.is_none() => {
            machine.instance_type = Ok("t3.medium".into())
        }
        Absent => {}
    }
    Ok(machine.components(ctx, count))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_minor_versions() {
        assert_eq!(minor_of("1.29"), Some(29));
        assert_eq!(minor_of("1.30.2"), Some(30));
        assert_eq!(minor_of("2.0"), None);
    }
}
