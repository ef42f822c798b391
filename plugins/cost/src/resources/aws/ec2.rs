//! EC2 machines and EBS volumes, shared by every resource that launches
//! instances: `aws_instance`, autoscaling groups and EKS node groups (through
//! launch templates and launch configurations), and `aws_ebs_volume`.

use tfwarden_sdk::prelude::*;

use crate::estimate::{Component, NotPriced, Quantity};
use crate::fields::{Fields, first, number};
use crate::resources::context::{Ctx, unknown};

/// CloudWatch bills EC2 detailed monitoring as seven custom metrics.
const DETAILED_MONITORING_METRICS: f64 = 7.0;
/// Most Linux AMIs have an 8 GB root volume; its real size is known only after apply.
const ASSUMED_ROOT_GB: f64 = 8.0;

/// One EBS volume as configured.
#[derive(Debug, Clone, PartialEq)]
pub struct Volume {
    pub label: String,
    pub volume_type: String,
    pub size_gb: Result<f64, NotPriced>,
    pub iops: Option<f64>,
    pub throughput: Option<f64>,
    /// What was assumed because the plan does not say, shown in the component name.
    pub assumed: &'static str,
}

/// What an EC2 instance costs, whichever resource describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Machine {
    pub instance_type: Result<String, NotPriced>,
    pub dedicated: bool,
    pub monitoring: bool,
    pub ebs_optimized: bool,
    /// `unlimited` or `standard`, when set.
    pub cpu_credits: Option<String>,
    pub volumes: Vec<Volume>,
}

impl Machine {
    /// An `aws_instance` (its launch template, if any, is the caller's concern).
    pub fn of_instance(f: &Fields) -> Machine {
        let mut volumes = Vec::new();
        let root = f.block("root_block_device");
        volumes.push(root_volume(root, "root_block_device"));
        volumes.extend(listed_volumes(
            f.get("ebs_block_device"),
            "ebs_block_device",
            |v| v,
        ));
        Machine {
            instance_type: type_of(f.get("instance_type"), "instance_type"),
            dedicated: matches!(f.str("tenancy"), Known(t) if t != "default"),
            monitoring: f.bool("monitoring") == Known(true),
            ebs_optimized: f.bool("ebs_optimized") == Known(true),
            cpu_credits: f
                .block("credit_specification")
                .get("cpu_credits")
                .str()
                .known()
                .map(|s| s.into_owned()),
            volumes,
        }
    }

    /// An `aws_launch_template`: only the volumes it maps are known.
    pub fn of_launch_template(value: Value<'_>) -> Machine {
        let f = Fields::of(value);
        let volumes = listed_volumes(
            f.get("block_device_mappings"),
            "block_device_mapping",
            |m| first(m.get("ebs")),
        );
        Machine {
            instance_type: type_of(f.get("instance_type"), "instance_type"),
            dedicated: matches!(f.block("placement").get("tenancy").str(), Known(t) if t == "dedicated" || t == "host"),
            monitoring: f.block("monitoring").get("enabled").bool() == Known(true),
            ebs_optimized: matches!(f.get("ebs_optimized").str(), Known(s) if s == "true")
                || f.bool("ebs_optimized") == Known(true),
            cpu_credits: f
                .block("credit_specification")
                .get("cpu_credits")
                .str()
                .known()
                .map(|s| s.into_owned()),
            volumes,
        }
    }

    /// An `aws_launch_configuration`: monitoring is on unless turned off.
    pub fn of_launch_configuration(value: Value<'_>) -> Machine {
        let f = Fields::of(value);
        let mut volumes = vec![root_volume(
            f.block("root_block_device"),
            "root_block_device",
        )];
        volumes.extend(listed_volumes(
            f.get("ebs_block_device"),
            "ebs_block_device",
            |v| v,
        ));
        Machine {
            instance_type: type_of(f.get("instance_type"), "instance_type"),
            dedicated: matches!(f.str("placement_tenancy"), Known(t) if t == "dedicated"),
            monitoring: f.bool("enable_monitoring") != Known(false),
            ebs_optimized: f.bool("ebs_optimized") == Known(true),
            cpu_credits: None,
            volumes,
        }
    }

    /// The components of `count` such machines.
    pub fn components(&self, ctx: &Ctx, count: f64) -> Vec<Component> {
        let mut out = Vec::new();
        let type_name = self.instance_type.as_deref().unwrap_or("unknown type");
        let price = match &self.instance_type {
            Err(reason) => Err(reason.clone()),
            Ok(_) if self.dedicated => Err(NotPriced::NotInTable {
                what: "dedicated tenancy".into(),
                region: ctx.region.into(),
            }),
            Ok(t) => ctx.price("ec2", "hour", t),
        };
        out.push(ctx.per_hour(
            format!("Instance usage (Linux/UNIX, on-demand, {type_name})"),
            price,
            count,
        ));
        if let Ok(t) = &self.instance_type {
            if self.ebs_optimized {
                // Current generations include EBS optimisation; only older ones
                // have a separate price, so a miss here means "no extra charge".
                if let Ok(price) = ctx.price("ec2-ebs-optimized", "hour", t) {
                    out.push(ctx.per_hour("EBS-optimized usage", Ok(price), count));
                }
            }
            if let Some(component) = cpu_credits(ctx, t, self.cpu_credits.as_deref(), count) {
                out.push(component);
            }
        }
        if self.monitoring {
            let price = ctx.price("cloudwatch", "metric_month", "detailed-monitoring-metric");
            let quantity = Quantity::Monthly(DETAILED_MONITORING_METRICS * count);
            out.push(Component::new(
                "EC2 detailed monitoring",
                "metric-month",
                price,
                quantity,
            ));
        }
        for volume in &self.volumes {
            out.extend(volume_components(ctx, volume, count));
        }
        out
    }
}

fn type_of(value: Value<'_>, path: &str) -> Result<String, NotPriced> {
    match value.str() {
        Known(t) if !t.is_empty() => Ok(t.into_owned()),
        Unknown => Err(unknown(path)),
        _ => Err(NotPriced::Unresolved(format!("`{path}` is not set"))),
    }
}

/// Burstable instances in unlimited mode pay for surplus credits. t3, t3a and
/// t4g default to unlimited; t2 to standard.
fn cpu_credits(
    ctx: &Ctx,
    instance_type: &str,
    mode: Option<&str>,
    count: f64,
) -> Option<Component> {
    let family = instance_type.split('.').next()?;
    let unlimited = match mode {
        Some(m) => m == "unlimited",
        None => matches!(family, "t3" | "t3a" | "t4g"),
    };
    if !unlimited || !matches!(family, "t2" | "t3" | "t3a" | "t4g") {
        return None;
    }
    let price = ctx.price("ec2-cpu-credits", "vcpu_hour", family);
    let vcpus = ctx
        .usage("vcpu_count")
        .unwrap_or_else(|| burstable_vcpus(instance_type));
    let quantity = ctx.usage_quantity("monthly_cpu_credit_hrs", vcpus * count);
    Some(Component::new("CPU credits", "vCPU-hour", price, quantity))
}

/// vCPUs of a burstable size: t2 below medium has one, every other size up to
/// large two, then four per `xlarge` step.
fn burstable_vcpus(instance_type: &str) -> f64 {
    let (family, size) = instance_type.split_once('.').unwrap_or((instance_type, ""));
    match size {
        "nano" | "micro" | "small" if family == "t2" => 1.0,
        "nano" | "micro" | "small" | "medium" | "large" => 2.0,
        "xlarge" => 4.0,
        s => s
            .strip_suffix("xlarge")
            .and_then(|n| n.parse::<f64>().ok())
            .map_or(2.0, |n| 4.0 * n),
    }
}

fn root_volume(block: Value<'_>, label: &str) -> Volume {
    let (size, assumed_size) = match number(block.get("volume_size")) {
        Known(gb) if gb > 0.0 => (Ok(gb), false),
        _ => (Ok(ASSUMED_ROOT_GB), true),
    };
    let (volume_type, assumed_type) = match block.get("volume_type").str() {
        Known(t) if !t.is_empty() => (t.into_owned(), false),
        _ => ("gp2".to_string(), true),
    };
    Volume {
        label: label.into(),
        volume_type,
        size_gb: size,
        iops: number(block.get("iops")).known(),
        throughput: number(block.get("throughput")).known(),
        assumed: match (assumed_size, assumed_type) {
            (true, true) => " (8 GB gp2 assumed; known after apply)",
            (true, false) => " (8 GB assumed; known after apply)",
            (false, true) => " (gp2 assumed; known after apply)",
            (false, false) => "",
        },
    }
}

/// Volumes of a list of blocks; `ebs` picks the block holding the volume
/// settings (the item itself, or a launch template mapping's `ebs`).
fn listed_volumes<'a>(
    list: Value<'a>,
    label: &str,
    ebs: impl Fn(Value<'a>) -> Value<'a>,
) -> Vec<Volume> {
    // A whole list that is unknown is computed from the AMI: nothing configured.
    let Known(items) = list.items() else {
        return Vec::new();
    };
    items
        .into_iter()
        .enumerate()
        .filter_map(|(i, item)| {
            let block = ebs(item);
            if block.is_absent() {
                return None;
            }
            let path = format!("{label}.{i}.volume_size");
            let size_gb = match number(block.get("volume_size")) {
                Known(gb) => Ok(gb),
                Unknown => Err(NotPriced::UnknownUntilApply { path }),
                Absent => Err(NotPriced::Unresolved(format!(
                    "`{path}` is not set (size comes from a snapshot)"
                ))),
            };
            let (volume_type, assumed) = match block.get("volume_type").str() {
                Known(t) if !t.is_empty() => (t.into_owned(), ""),
                _ => ("gp2".to_string(), " (gp2 assumed; known after apply)"),
            };
            Some(Volume {
                label: format!("{label}[{i}]"),
                volume_type,
                size_gb,
                iops: number(block.get("iops")).known(),
                throughput: number(block.get("throughput")).known(),
                assumed,
            })
        })
        .collect()
}

/// A readable name for an EBS volume type, as AWS's price list words it.
pub fn storage_label(volume_type: &str) -> String {
    match volume_type {
        "gp2" | "gp3" => format!("general purpose SSD, {volume_type}"),
        "io1" | "io2" => format!("provisioned IOPS SSD, {volume_type}"),
        "st1" => "throughput optimized HDD, st1".into(),
        "sc1" => "cold HDD, sc1".into(),
        "standard" => "magnetic".into(),
        other => other.into(),
    }
}

/// Storage, plus provisioned IOPS and throughput beyond what the type includes.
pub fn volume_components(ctx: &Ctx, v: &Volume, count: f64) -> Vec<Component> {
    let prefix = if v.label.is_empty() {
        String::new()
    } else {
        format!("{} / ", v.label)
    };
    let mut out = Vec::new();
    let storage_price = ctx.price("ebs", "gb_month", &v.volume_type);
    let storage = match &v.size_gb {
        Ok(gb) => Component::new(
            format!(
                "{prefix}Storage ({}){}",
                storage_label(&v.volume_type),
                v.assumed
            ),
            "GB-month",
            storage_price,
            Quantity::Monthly(gb * count),
        ),
        Err(reason) => Component::new(
            format!("{prefix}Storage ({})", storage_label(&v.volume_type)),
            "GB-month",
            Err(reason.clone()),
            Quantity::Monthly(0.0),
        ),
    };
    out.push(storage);
    let extra_iops = match v.volume_type.as_str() {
        "io1" | "io2" => v.iops,
        "gp3" => v.iops.map(|iops| (iops - 3000.0).max(0.0)),
        _ => None,
    };
    if let Some(iops) = extra_iops.filter(|&n| n > 0.0) {
        let price = ctx.price("ebs-iops", "iops_month", &v.volume_type);
        out.push(Component::new(
            format!("{prefix}Provisioned IOPS"),
            "IOPS-month",
            price,
            Quantity::Monthly(iops * count),
        ));
    }
    if v.volume_type == "gp3"
        && let Some(mbps) = v
            .throughput
            .map(|t| (t - 125.0).max(0.0))
            .filter(|&n| n > 0.0)
    {
        let price = ctx.price("ebs-throughput", "mbps_month", "gp3");
        out.push(Component::new(
            format!("{prefix}Provisioned throughput"),
            "MBps-month",
            price,
            Quantity::Monthly(mbps * count),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_burstable_vcpus() {
        assert_eq!(burstable_vcpus("t2.micro"), 1.0);
        assert_eq!(burstable_vcpus("t3.micro"), 2.0);
        assert_eq!(burstable_vcpus("t3.xlarge"), 4.0);
        assert_eq!(burstable_vcpus("t3.2xlarge"), 8.0);
    }

    #[test]
    fn reads_instance_volumes_and_assumes_the_root_size() {
        let v = Value::new(
            Some(
                r#"{"instance_type":"t3.micro","ebs_block_device":[{"volume_size":20,"volume_type":"io1","iops":200}]}"#,
            ),
            Some(r#"{"root_block_device":true}"#),
        );
        let m = Machine::of_instance(&Fields::of(v));
        assert_eq!(m.instance_type.as_deref(), Ok("t3.micro"));
        assert_eq!(m.volumes[0].size_gb, Ok(8.0));
        assert!(m.volumes[0].assumed.contains("assumed"));
        assert_eq!(m.volumes[1].iops, Some(200.0));
        assert_eq!(m.volumes[1].label, "ebs_block_device[0]");
    }
}
