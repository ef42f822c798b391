//! Compute Engine: machines (by type, on-demand or spot), boot and local SSD
//! disks and GPUs, shared by `google_compute_instance` and GKE node pools;
//! and `google_compute_disk`.

use tfwarden_sdk::prelude::*;

use crate::estimate::{Component, NotPriced, Quantity};
use crate::fields::{Fields, first, number};
use crate::resources::context::{Ctx, unknown};

pub const INSTANCE_USAGE: &[&str] = &["monthly_hrs"];
pub const INSTANCE_SKU: &[&str] = &["machine_type"];
pub const DISK_USAGE: &[&str] = &[];
pub const DISK_SKU: &[&str] = &["type"];

/// A local SSD partition is always 375 GB.
const LOCAL_SSD_GB: f64 = 375.0;

/// What one machine of a group is made of.
#[derive(Debug, Clone)]
pub struct MachineSpec {
    pub machine_type: Result<String, NotPriced>,
    pub spot: bool,
    pub disk_type: String,
    pub disk_gb: f64,
    /// What was assumed because the plan does not say, shown in names.
    pub disk_assumed: String,
    pub local_ssds: f64,
    pub gpus: Vec<(String, f64)>,
}

impl MachineSpec {
    pub fn of_instance(f: &Fields) -> MachineSpec {
        let scheduling = f.block("scheduling");
        let spot = scheduling.get("preemptible").bool() == Known(true)
            || matches!(scheduling.get("provisioning_model").str(), Known(m) if m == "SPOT");
        let params = first(f.block("boot_disk").get("initialize_params"));
        let (disk_type, type_assumed) = match params.get("type").str() {
            Known(t) if !t.is_empty() => (short_name(&t), false),
            _ => ("pd-standard".to_string(), true),
        };
        let (disk_gb, size_assumed) = match number(params.get("size")) {
            Known(gb) if gb > 0.0 => (gb, false),
            _ => (10.0, true),
        };
        MachineSpec {
            machine_type: machine_type(f.get("machine_type"), "machine_type"),
            spot,
            disk_type,
            disk_gb,
            disk_assumed: assumed(
                size_assumed.then_some("10 GB"),
                type_assumed.then_some("pd-standard"),
                true,
            ),
            local_ssds: f
                .get("scratch_disk")
                .items()
                .known()
                .map_or(0.0, |d| d.len() as f64),
            gpus: gpus(f.get("guest_accelerator")),
        }
    }

    /// A GKE `node_config` block; GKE's defaults are e2-medium and a 100 GB
    /// pd-balanced boot disk.
    pub fn of_node_config(config: Value<'_>) -> MachineSpec {
        let (machine, disk_type_value, disk_size) = (
            config.get("machine_type"),
            config.get("disk_type").str(),
            number(config.get("disk_size_gb")),
        );
        let (disk_type, type_assumed) = match disk_type_value {
            Known(t) if !t.is_empty() => (t.into_owned(), false),
            _ => ("pd-balanced".to_string(), true),
        };
        let (disk_gb, size_assumed) = match disk_size {
            Known(gb) if gb > 0.0 => (gb, false),
            _ => (100.0, true),
        };
        MachineSpec {
            machine_type: match machine.str() {
                Absent => Ok("e2-medium".into()),
                _ => machine_type(machine, "node_config.0.machine_type"),
            },
            spot: config.get("preemptible").bool() == Known(true)
                || config.get("spot").bool() == Known(true),
            disk_type,
            disk_gb,
            disk_assumed: assumed(
                size_assumed.then_some("100 GB"),
                type_assumed.then_some("pd-balanced"),
                false,
            ),
            local_ssds: number(config.get("local_ssd_count")).known().unwrap_or(0.0),
            gpus: gpus(config.get("guest_accelerator")),
        }
    }

    /// The components of `count` machines running `hours` each a month.
    pub fn components(&self, ctx: &Ctx, count: f64, prefix: &str) -> Vec<Component> {
        let model = if self.spot {
            "preemptible"
        } else {
            "on-demand"
        };
        let service = if self.spot { "gce-spot" } else { "gce" };
        let type_name = self.machine_type.as_deref().unwrap_or("unknown type");
        let price = match &self.machine_type {
            Ok(t) if is_custom(t) => Err(NotPriced::NotInTable {
                what: format!("custom machine type `{t}`"),
                region: ctx.region.into(),
            }),
            Ok(t) => ctx.price(service, "hour", t),
            Err(reason) => Err(reason.clone()),
        };
        let mut out = vec![ctx.per_hour(
            format!("{prefix}Instance usage (Linux/UNIX, {model}, {type_name})"),
            price,
            count,
        )];
        out.push(Component::new(
            format!(
                "{prefix}Boot disk ({}){}",
                self.disk_type, self.disk_assumed
            ),
            "GB-month",
            ctx.price("gce-disk", "gb_month", &self.disk_type),
            Quantity::Monthly(self.disk_gb * count),
        ));
        if self.local_ssds > 0.0 {
            out.push(Component::new(
                format!("{prefix}Local SSD"),
                "GB-month",
                ctx.price(
                    if self.spot {
                        "gce-disk-spot"
                    } else {
                        "gce-disk"
                    },
                    "gb_month",
                    "local-ssd",
                ),
                Quantity::Monthly(self.local_ssds * LOCAL_SSD_GB * count),
            ));
        }
        let gpu_service = if self.spot { "gce-gpu-spot" } else { "gce-gpu" };
        // Accelerator-optimised types (A2, A3, G2) include their GPUs in the machine price.
        let gpus_included = ["a2-", "a3-", "g2-"]
            .iter()
            .any(|p| type_name.starts_with(p));
        for (gpu, gpus) in self.gpus.iter().filter(|_| !gpus_included) {
            out.push(ctx.per_hour(
                format!("{prefix}GPU ({gpu}, {model})"),
                ctx.price(gpu_service, "hour", gpu),
                gpus * count,
            ));
        }
        out
    }
}

/// Names the defaults a disk was priced with, for the component name.
fn assumed(size: Option<&str>, kind: Option<&str>, known_later: bool) -> String {
    let parts: Vec<&str> = [size, kind].into_iter().flatten().collect();
    if parts.is_empty() {
        return String::new();
    }
    let when = if known_later {
        "; known after apply"
    } else {
        ""
    };
    format!(" ({} assumed{when})", parts.join(" "))
}

fn gpus(list: Value<'_>) -> Vec<(String, f64)> {
    list.items()
        .known()
        .unwrap_or_default()
        .iter()
        .filter_map(|g| {
            let kind = g.get("type").str().known()?;
            Some((
                short_name(&kind),
                number(g.get("count")).known().unwrap_or(1.0),
            ))
        })
        .collect()
}

/// The last segment of a self-link such as `zones/us-central1-a/machineTypes/n2-standard-4`.
pub fn short_name(text: &str) -> String {
    text.rsplit('/').next().unwrap_or(text).to_string()
}

fn machine_type(value: Value<'_>, path: &str) -> Result<String, NotPriced> {
    match value.str() {
        Known(t) if !t.is_empty() => Ok(short_name(&t)),
        Unknown => Err(unknown(path)),
        _ => Err(NotPriced::Unresolved(format!("`{path}` is not set"))),
    }
}

fn is_custom(machine_type: &str) -> bool {
    machine_type.starts_with("custom-") || machine_type.contains("-custom")
}

pub fn instance(ctx: &Ctx, f: &Fields) -> Result<Vec<Component>, NotPriced> {
    Ok(MachineSpec::of_instance(f).components(ctx, 1.0, ""))
}

/// A blank disk defaults to 500 GB on pd-standard and 100 GB otherwise; a disk
/// made from an image or snapshot takes its size from it, known after apply.
pub fn disk(ctx: &Ctx, f: &Fields) -> Result<Vec<Component>, NotPriced> {
    let disk_type = match f.str("type") {
        Known(t) if !t.is_empty() => short_name(&t),
        Unknown => return Err(unknown("type")),
        _ => "pd-standard".into(),
    };
    let from_source = ["image", "snapshot", "source_disk"]
        .iter()
        .any(|k| !f.get(k).is_absent());
    let (size, note) = match number(f.get("size")) {
        Known(gb) => (Ok(gb), ""),
        _ if from_source => (Err(unknown("size")), ""),
        Unknown | Absent if disk_type == "pd-standard" => (Ok(500.0), " (500 GB default)"),
        Unknown | Absent if matches!(disk_type.as_str(), "pd-balanced" | "pd-ssd") => {
            (Ok(100.0), " (100 GB default)")
        }
        _ => (Err(unknown("size")), ""),
    };
    let mut out = vec![match size {
        Ok(gb) => Component::new(
            format!("Storage ({disk_type}){note}"),
            "GB-month",
            ctx.price("gce-disk", "gb_month", &disk_type),
            Quantity::Monthly(gb),
        ),
        Err(reason) => Component::new(
            format!("Storage ({disk_type})"),
            "GB-month",
            Err(reason),
            Quantity::Monthly(0.0),
        ),
    }];
    if matches!(disk_type.as_str(), "pd-extreme" | "hyperdisk-extreme") {
        let price = ctx.price("gce-disk-iops", "iops_month", &disk_type);
        out.push(match number(f.get("provisioned_iops")) {
            Known(iops) => Component::new(
                "Provisioned IOPS",
                "IOPS-month",
                price,
                Quantity::Monthly(iops),
            ),
            _ => Component::new(
                "Provisioned IOPS",
                "IOPS-month",
                Err(unknown("provisioned_iops")),
                Quantity::Monthly(0.0),
            ),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_custom_types_and_self_links() {
        assert!(is_custom("n2-custom-4-16384"));
        assert!(is_custom("custom-2-4096"));
        assert!(!is_custom("n2-standard-4"));
        assert_eq!(
            short_name("zones/us-central1-a/machineTypes/n2-standard-4"),
            "n2-standard-4"
        );
    }
}
