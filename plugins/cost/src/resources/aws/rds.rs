//! RDS: `aws_db_instance` (instance hours by engine and deployment, storage,
//! provisioned IOPS, backups) and Aurora (`aws_rds_cluster` storage and I/O,
//! `aws_rds_cluster_instance` instances or Serverless v2 capacity).

use tfwarden_sdk::prelude::*;

use crate::estimate::{Component, HOURS_PER_MONTH, NotPriced, Price, Quantity};
use crate::fields::{Fields, number};
use crate::resources::context::{Ctx, required_str, unknown};

pub const INSTANCE_USAGE: &[&str] = &[
    "additional_backup_storage_gb",
    "monthly_standard_io_requests",
];
pub const INSTANCE_SKU: &[&str] = &["instance_class"];
pub const CLUSTER_USAGE: &[&str] = &[
    "storage_gb",
    "write_requests_per_sec",
    "read_requests_per_sec",
    "backup_snapshot_size_gb",
    "capacity_units_per_hr",
];
pub const CLUSTER_SKU: &[&str] = &[];
pub const CLUSTER_INSTANCE_USAGE: &[&str] = &["capacity_units_per_hr"];
pub const CLUSTER_INSTANCE_SKU: &[&str] = &["instance_class"];

const SECONDS_PER_MONTH: f64 = HOURS_PER_MONTH * 3600.0;

/// Engine versions in RDS extended support, which is billed per vCPU-hour at
/// a rate that rises with each support year. The table has only the year-1
/// rate, so these are reported as not priced rather than guessed.
const EXTENDED_SUPPORT: &[(&str, &str)] = &[
    ("mysql", "5.7"),
    ("postgres", "11"),
    ("postgres", "12"),
    ("aurora-mysql", "5.7"),
    ("aurora-postgresql", "11"),
    ("aurora-postgresql", "12"),
];

/// The engine part of a price key: `aurora` is Aurora MySQL, and Oracle with
/// its own licence is priced apart from licence-included.
fn engine_key(engine: &str, license_model: Attr<std::borrow::Cow<'_, str>>) -> String {
    let engine = if engine == "aurora" {
        "aurora-mysql"
    } else {
        engine
    };
    match license_model {
        Known(m) if m == "bring-your-own-license" => format!("{engine}:byol"),
        _ => engine.to_string(),
    }
}

pub fn instance(ctx: &Ctx, f: &Fields) -> Result<Vec<Component>, NotPriced> {
    let class = required_str(f.get("instance_class"), "instance_class")?;
    let engine = required_str(f.get("engine"), "engine")?;
    let key = engine_key(&engine, f.str("license_model"));
    let multi_az = f.bool("multi_az") == Known(true);
    let mut out = Vec::new();
    let deployment = if multi_az { "Multi-AZ" } else { "Single-AZ" };
    let price = doubled_if_missing(ctx, "rds", "hour", &format!("{class}:{key}"), multi_az);
    out.push(ctx.per_hour(
        format!("Database instance (on-demand, {deployment}, {class})"),
        price,
        1.0,
    ));

    // RDS uses io1 when IOPS are given and gp2 otherwise.
    let default_type = if number(f.get("iops")).known().is_some_and(|i| i > 0.0) {
        "io1"
    } else {
        "gp2"
    };
    let (storage_type, type_assumed) =
        ctx.or_default(f.get("storage_type"), "storage_type", default_type)?;
    let allocated = match number(f.get("allocated_storage")) {
        Known(gb) => Ok(gb),
        Unknown => Err(unknown("allocated_storage")),
        Absent => Ok(20.0),
    };
    let min_gb = if matches!(storage_type.as_str(), "io1" | "io2") {
        100.0
    } else {
        0.0
    };
    let assumed = if type_assumed {
        " (assumed; known after apply)"
    } else {
        ""
    };
    let storage_name = format!("Storage ({}){assumed}", storage_words(&storage_type));
    match allocated {
        Ok(gb) => {
            let gb = gb.max(min_gb);
            let price = doubled_if_missing(ctx, "rds-storage", "gb_month", &storage_type, multi_az);
            out.push(Component::new(
                storage_name,
                "GB-month",
                price,
                Quantity::Monthly(gb),
            ));
            if let Some(iops) =
                billable_iops(&storage_type, &engine, gb, number(f.get("iops")).known())
            {
                let price =
                    doubled_if_missing(ctx, "rds-iops", "iops_month", &storage_type, multi_az);
                out.push(Component::new(
                    "Provisioned IOPS",
                    "IOPS-month",
                    price,
                    Quantity::Monthly(iops),
                ));
            }
        }
        Err(reason) => out.push(Component::new(
            storage_name,
            "GB-month",
            Err(reason),
            Quantity::Monthly(0.0),
        )),
    }
    if storage_type == "standard" {
        let quantity = ctx.usage_quantity("monthly_standard_io_requests", 1e-6);
        out.push(Component::new(
            "I/O requests",
            "1M requests",
            ctx.price("rds-io", "1m_requests", "standard"),
            quantity,
        ));
    }
    let backup_kind = if engine.starts_with("aurora") {
        "aurora"
    } else {
        "standard"
    };
    let quantity = ctx.usage_quantity("additional_backup_storage_gb", 1.0);
    out.push(Component::new(
        "Additional backup storage",
        "GB-month",
        ctx.price("rds-backup", "gb_month", backup_kind),
        quantity,
    ));
    out.extend(extended_support(&engine, f.str("engine_version")));
    Ok(out)
}

/// The Multi-AZ price when the table has it, else twice the Single-AZ one:
/// a Multi-AZ deployment runs and stores everything on a standby as well.
fn doubled_if_missing(ctx: &Ctx, service: &str, unit: &str, key: &str, multi_az: bool) -> Price {
    if !multi_az {
        return ctx.price(service, unit, key);
    }
    ctx.price(service, unit, &format!("{key}:multi-az"))
        .or_else(|_| ctx.price(service, unit, key).map(|p| 2.0 * p))
}

fn storage_words(storage_type: &str) -> String {
    match storage_type {
        "gp2" | "gp3" => format!("general purpose SSD, {storage_type}"),
        "io1" | "io2" => format!("provisioned IOPS SSD, {storage_type}"),
        "standard" => "magnetic".into(),
        other => other.into(),
    }
}

/// IOPS billed beyond what the storage includes: all of them for io1 (at least
/// 1,000), and for gp3 those above the baseline (12,000 from 400 GB; 200 GB for
/// Oracle; 3,000 below).
fn billable_iops(storage_type: &str, engine: &str, gb: f64, iops: Option<f64>) -> Option<f64> {
    match storage_type {
        "io1" | "io2" => Some(iops.unwrap_or(1000.0).max(1000.0)),
        "gp3" => {
            let threshold = if engine.starts_with("oracle") {
                200.0
            } else {
                400.0
            };
            let baseline = if gb >= threshold { 12000.0 } else { 3000.0 };
            iops.map(|i| i - baseline).filter(|&extra| extra > 0.0)
        }
        _ => None,
    }
}

fn extended_support(engine: &str, version: Attr<std::borrow::Cow<'_, str>>) -> Option<Component> {
    let Known(version) = version else { return None };
    let engine = if engine == "aurora" {
        "aurora-mysql"
    } else {
        engine
    };
    let in_support = EXTENDED_SUPPORT
        .iter()
        .any(|(e, v)| *e == engine && (version == *v || version.starts_with(&format!("{v}."))));
    in_support.then(|| {
        Component::new(
            format!("Extended support ({engine} {version})"),
            "vCPU-hour",
            Err(NotPriced::Unresolved(
                "RDS extended support is billed at a rate that rises each support year; only the first year's rate is known"
                    .into(),
            )),
            Quantity::Monthly(0.0),
        )
    })
}

pub fn cluster(ctx: &Ctx, f: &Fields) -> Result<Vec<Component>, NotPriced> {
    let io_optimized = matches!(f.str("storage_type"), Known(t) if t == "aurora-iopt1");
    let mut out = Vec::new();
    if matches!(f.str("engine_mode"), Known(m) if m == "serverless") {
        let quantity = ctx.usage_quantity("capacity_units_per_hr", HOURS_PER_MONTH);
        out.push(Component::new(
            "Aurora Serverless v1 capacity",
            "ACU-hour",
            ctx.price("aurora", "acu_hour", "serverless-v1"),
            quantity,
        ));
    }
    let storage_key = if io_optimized {
        "storage-io-optimized"
    } else {
        "storage"
    };
    let quantity = ctx.usage_quantity("storage_gb", 1.0);
    out.push(Component::new(
        "Storage",
        "GB-month",
        ctx.price("aurora", "gb_month", storage_key),
        quantity,
    ));
    if !io_optimized {
        let per_sec = match (
            ctx.usage("write_requests_per_sec"),
            ctx.usage("read_requests_per_sec"),
        ) {
            (None, None) => None,
            (w, r) => Some(w.unwrap_or(0.0) + r.unwrap_or(0.0)),
        };
        let quantity = match per_sec {
            Some(rate) => Quantity::FromUsage(rate * SECONDS_PER_MONTH / 1e6),
            None => Quantity::DependsOnUsage {
                key: "write_requests_per_sec",
            },
        };
        out.push(Component::new(
            "I/O requests",
            "1M requests",
            ctx.price("aurora", "1m_requests", "io"),
            quantity,
        ));
    }
    let quantity = ctx.usage_quantity("backup_snapshot_size_gb", 1.0);
    out.push(Component::new(
        "Backup storage",
        "GB-month",
        ctx.price("aurora", "gb_month", "backup"),
        quantity,
    ));
    Ok(out)
}

pub fn cluster_instance(ctx: &Ctx, f: &Fields) -> Result<Vec<Component>, NotPriced> {
    let class = required_str(f.get("instance_class"), "instance_class")?;
    if class == "db.serverless" {
        let quantity = ctx.usage_quantity("capacity_units_per_hr", HOURS_PER_MONTH);
        let key = "serverless-v2";
        return Ok(vec![Component::new(
            "Aurora Serverless v2 capacity",
            "ACU-hour",
            ctx.price("aurora", "acu_hour", key),
            quantity,
        )]);
    }
    let engine = match f.str("engine") {
        Known(e) if !e.is_empty() => e.into_owned(),
        Unknown => match ctx
            .referenced("cluster_identifier", &["aws_rds_cluster"])
            .map(|c| c.get("engine").str())
        {
            Some(Known(e)) => e.into_owned(),
            _ => return Err(unknown("engine")),
        },
        _ => "aurora-mysql".into(),
    };
    let key = engine_key(&engine, Absent);
    let mut out = vec![ctx.per_hour(
        format!("Database instance (on-demand, {class})"),
        ctx.price("rds", "hour", &format!("{class}:{key}")),
        1.0,
    )];
    out.extend(extended_support(&engine, f.str("engine_version")));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bills_iops_beyond_the_included_baseline() {
        assert_eq!(
            billable_iops("io1", "mysql", 100.0, Some(500.0)),
            Some(1000.0)
        );
        assert_eq!(
            billable_iops("gp3", "mysql", 400.0, Some(14000.0)),
            Some(2000.0)
        );
        assert_eq!(billable_iops("gp3", "mysql", 100.0, Some(3000.0)), None);
        assert_eq!(billable_iops("gp2", "mysql", 100.0, Some(3000.0)), None);
    }

    #[test]
    fn keys_engines_by_licence() {
        assert_eq!(engine_key("aurora", Absent), "aurora-mysql");
        assert_eq!(
            engine_key("oracle-se1", Known("bring-your-own-license".into())),
            "oracle-se1:byol"
        );
        assert_eq!(
            engine_key("postgres", Known("postgresql-license".into())),
            "postgres"
        );
    }
}
