//! `aws_autoscaling_group`: its launch template or launch configuration,
//! times the desired capacity (or `min_size`, which Terraform starts with).

use tfwarden_sdk::prelude::*;

use crate::estimate::{Component, HOURS_PER_MONTH, NotPriced, Quantity};
use crate::fields::{Fields, number};
use crate::resources::aws::ec2::Machine;
use crate::resources::context::Ctx;

pub const USAGE: &[&str] = &[
    "instances",
    "monthly_hrs",
    "monthly_cpu_credit_hrs",
    "vcpu_count",
];
pub const SKU: &[&str] = &[];

const TEMPLATE_PATHS: &[&str] = &[
    "launch_template.0.id",
    "launch_template.0.name",
    "mixed_instances_policy.0.launch_template.0.launch_template_specification.0.launch_template_id",
    "mixed_instances_policy.0.launch_template.0.launch_template_specification.0.launch_template_name",
];

pub fn price(ctx: &Ctx, f: &Fields) -> Result<Vec<Component>, NotPriced> {
    let mut count = instances(ctx, f)?;
    let mut machine = machine(ctx, f)?;
    let first_override = f
        .get("mixed_instances_policy")
        .path("0.launch_template.0.override")
        .index(0);
    if let Known(instance_type) = first_override.get("instance_type").str() {
        // Instances launch from the overrides in priority order; the first
        // one is what an on-demand group gets when capacity allows. Its
        // weight says how many units of desired capacity one instance counts as.
        machine.instance_type = Ok(instance_type.into_owned());
        if let Known(weight) = number(first_override.get("weighted_capacity"))
            && weight > 0.0
        {
            count = (count / weight).ceil();
        }
    }
    let spot = spot_instances(f, count);
    let mut components = machine.components(ctx, count - spot);
    if spot > 0.0 {
        components.push(Component::new(
            "Instance usage (spot)",
            "hour",
            Err(NotPriced::NotInTable {
                what: "EC2 spot prices".into(),
                region: ctx.region.into(),
            }),
            Quantity::Monthly(HOURS_PER_MONTH * spot),
        ));
    }
    Ok(components)
}

fn instances(ctx: &Ctx, f: &Fields) -> Result<f64, NotPriced> {
    if let Some(n) = ctx.usage("instances") {
        return Ok(n);
    }
    match number(f.get("desired_capacity")) {
        Known(n) => Ok(n),
        _ => match number(f.get("min_size")) {
            Known(n) => Ok(n),
            Unknown => Err(NotPriced::UnknownUntilApply {
                path: "min_size".into(),
            }),
            Absent => Ok(0.0),
        },
    }
}

fn machine(ctx: &Ctx, f: &Fields) -> Result<Machine, NotPriced> {
    if !f.get("launch_configuration").is_absent()
        && let Some(config) = ctx.referenced("launch_configuration", &["aws_launch_configuration"])
    {
        return Ok(Machine::of_launch_configuration(config));
    }
    for path in TEMPLATE_PATHS {
        if let Some(template) = ctx.referenced(path, &["aws_launch_template"]) {
            return Ok(Machine::of_launch_template(template));
        }
    }
    Err(NotPriced::Unresolved(
        "its launch template or launch configuration is not in this plan, so the instance type is unknown".into(),
    ))
}

/// Instances above the on-demand base that run on spot, by the distribution.
fn spot_instances(f: &Fields, count: f64) -> f64 {
    let distribution = f
        .get("mixed_instances_policy")
        .path("0.instances_distribution.0");
    if distribution.is_absent() {
        return 0.0;
    }
    let base = number(distribution.get("on_demand_base_capacity"))
        .known()
        .unwrap_or(0.0);
    let percent = number(distribution.get("on_demand_percentage_above_base_capacity"))
        .known()
        .unwrap_or(100.0);
    let above = (count - base).max(0.0);
    above - (above * percent / 100.0).ceil()
}
