//! `aws_instance`: compute hours, monitoring, CPU credits and EBS volumes,
//! following a launch template when the instance type comes from one.

use tfwarden_sdk::prelude::*;

use crate::estimate::{Component, NotPriced};
use crate::fields::Fields;
use crate::resources::aws::ec2::Machine;
use crate::resources::context::Ctx;

pub const USAGE: &[&str] = &["monthly_hrs", "monthly_cpu_credit_hrs", "vcpu_count"];
pub const SKU: &[&str] = &["instance_type"];

pub fn price(ctx: &Ctx, f: &Fields) -> Result<Vec<Component>, NotPriced> {
    let mut machine = Machine::of_instance(f);
    if machine.instance_type.is_err() && !f.get("launch_template").is_absent() {
        let template = launch_template(ctx).ok_or_else(|| {
            NotPriced::Unresolved(
                "the instance type comes from a launch template that is not in this plan".into(),
            )
        })?;
        let from_template = Machine::of_launch_template(template);
        machine.instance_type = from_template.instance_type;
        machine.monitoring |= from_template.monitoring;
        machine.cpu_credits = machine.cpu_credits.or(from_template.cpu_credits);
        machine.volumes.extend(from_template.volumes);
    }
    let on_host = match f.str("host_id") {
        Known(h) => !h.is_empty(),
        Unknown => true,
        Absent => false,
    };
    if on_host {
        // On a dedicated host, the host is billed, not the instance.
        let mut components = machine.components(ctx, 1.0);
        components.retain(|c| !c.name.starts_with("Instance usage"));
        return Ok(components);
    }
    Ok(machine.components(ctx, 1.0))
}

fn launch_template<'a>(ctx: &Ctx<'_, 'a>) -> Option<Value<'a>> {
    ["launch_template.0.id", "launch_template.0.name"]
        .iter()
        .find_map(|path| ctx.referenced(path, &["aws_launch_template"]))
}
