//! Accuracy against a peer: `../shared/pricing/infracost_reference.tsv` holds
//! Infracost's expected monthly cost for each cost component of many resource
//! configurations. For every type the plugin prices, this test rebuilds a plan
//! from each reference resource's recorded attributes, prices it, and requires
//! every fixed (not usage-based) component in a region the table covers to be
//! within 1% of the reference, unless an exception below explains why the
//! reference is not the truth. `--nocapture` prints the tally.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use cost::costing::cost_plan;
use cost::estimate::{Component, NotPriced};
use cost::plan_index::PlanIndex;
use cost::region::Cloud;
use cost::resources::{self, Kind};
use serde_json::{Map, Value as Json, json};
use tfwarden_sdk::input::{CheckInput, Subscription};
use tfwarden_sdk::plan::PlanFile;
use tfwarden_sdk::policy::Metadata;
use tfwarden_sdk::view::Plan;

const TOLERANCE: f64 = 0.01;

/// One reference row: one cost component of one resource.
#[derive(Debug, Clone)]
struct Row {
    test: String,
    type_: String,
    address: String,
    region: String,
    attributes: String,
    usage: String,
    component: String,
    monthly: f64,
    usage_based: bool,
    ok: bool,
}

fn reference() -> Option<Vec<Row>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/pricing/infracost_reference.tsv");
    let text = std::fs::read_to_string(path).ok()?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next()?.split('\t').collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .expect("reference column")
    };
    let (test, type_, address, region, attributes, usage, component, monthly, usage_based, status) = (
        col("test"),
        col("resource_type"),
        col("resource_name"),
        col("region"),
        col("key_attributes"),
        col("usage_inputs"),
        col("cost_component"),
        col("monthly_cost_usd"),
        col("usage_based"),
        col("status"),
    );
    Some(
        lines
            .map(|l| l.split('\t').collect::<Vec<_>>())
            .filter(|c| c.len() == header.len())
            .map(|c| Row {
                test: c[test].into(),
                type_: c[type_].into(),
                address: c[address].into(),
                region: c[region].into(),
                attributes: c[attributes].into(),
                usage: c[usage].into(),
                component: c[component].into(),
                monthly: c[monthly].parse().unwrap_or(f64::NAN),
                usage_based: c[usage_based] == "yes",
                ok: c[status] == "ok",
            })
            .collect(),
    )
}

// ------------------------------------------------------------ exceptions ---

/// Why a reference row is not compared, or not expected to match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Exception {
    /// The reference is out of date or computes the cost differently, and the
    /// plugin's figure is the right one.
    ReferenceDiffers(&'static str),
    /// The plugin does not price this (yet); it says so instead of guessing.
    NotPriced(&'static str),
}

/// Rows whose reference figure is not the truth today, or that price
/// something the plugin deliberately does not, each with its reason.
fn exception(row: &Row) -> Option<Exception> {
    use Exception::{NotPriced as Gap, ReferenceDiffers as Differs};
    let (t, c, a, usage) = (
        row.type_.as_str(),
        row.component.as_str(),
        row.attributes.as_str(),
        row.usage.as_str(),
    );
    if usage.contains("reserved_instance") || c.contains("reserved,") {
        return Some(Gap(
            "reserved-instance and committed-use prices: the plugin prices on-demand list prices",
        ));
    }
    if usage.contains("operating_system=windows") {
        return Some(Gap(
            "Windows on EC2 needs the AMI's platform, which a plan does not show; the plugin prices Linux",
        ));
    }
    if t.starts_with("google_")
        && (c.contains("Instance usage")
            || c.contains("Custom instance")
            || c.contains("Custom Instance"))
    {
        if c.contains("custom") || c.contains("Custom") {
            return Some(Gap(
                "GCE custom machine types: the table has predefined types only",
            ));
        }
        return Some(Differs(
            "GCP sustained-use discounts: Infracost applies them to N1/N2/M1 (20-30%); the plugin shows list prices",
        ));
    }
    if t.starts_with("google_") && c.contains("Local SSD") && row.address.contains("preemptible") {
        return Some(Differs(
            "spot (preemptible) prices change often; the reference and the table were taken months apart",
        ));
    }
    if c.contains("Replicated write request unit") {
        return Some(Differs(
            "Infracost prices replicated write request units per hour (requests / 730), not per request as AWS bills them; the plugin reports them as not priced",
        ));
    }
    if t.starts_with("google_") && c.contains("NVIDIA L4") {
        return Some(Differs(
            "G2 machine prices already include their L4 GPUs; Infracost adds the GPU again",
        ));
    }
    if t == "google_sql_database_instance" && c.contains("IP address (if unused)") {
        return Some(Differs(
            "Cloud SQL bills a public IP only while the instance is stopped; a running instance pays nothing for it",
        ));
    }
    if t == "google_sql_database_instance" && a.contains("lightweight")
        || row.address.contains("db-lightweight")
    {
        return Some(Gap(
            "Cloud SQL lightweight tiers: their memory is not in the table, so they are reported as not priced",
        ));
    }
    if t.starts_with("aws_opensearch") && c.starts_with("Storage") {
        return Some(Differs(
            "Infracost counts the EBS volume once per domain; AWS bills `volume_size` per data node",
        ));
    }
    if (t == "aws_autoscaling_group" || t == "aws_eks_node_group") && c.contains("CPU credits") {
        return Some(Differs(
            "Infracost applies `monthly_cpu_credit_hrs` once per autoscaling group; the plugin applies it per instance, as EKS node groups are",
        ));
    }
    if t == "aws_autoscaling_group" && a.contains("min_size=0") && !a.contains("desired_capacity") {
        return Some(Differs(
            "a group with `min_size = 0` and no desired capacity starts with no instances; Infracost assumes one",
        ));
    }
    if c.contains("dedicated") || row.address.contains("tenancy_dedicated") {
        return Some(Gap("dedicated-tenancy EC2 prices are not in the table"));
    }
    if t == "google_container_cluster" && c.contains("default_pool") && a.contains("node_pool[") {
        return Some(Differs(
            "a cluster with inline node pools has no default pool; Infracost prices one anyway",
        ));
    }
    if t.starts_with("google_container")
        && c.contains("provisioned storage (pd-standard)")
        && !a.contains("disk_type")
    {
        return Some(Differs(
            "GKE's default boot disk has been pd-balanced since 1.24; Infracost assumes pd-standard",
        ));
    }
    if t == "azurerm_windows_virtual_machine"
        && c.starts_with("os_disk")
        && !a.contains("disk_size_gb")
    {
        return Some(Differs(
            "Windows Server images have a 127 GB OS disk (an S10/E10/P10 tier); Infracost assumes 30 GB",
        ));
    }
    if c.contains("Extended support") {
        return Some(Gap(
            "RDS extended-support rates rise each support year; the table has only year 1, so it is reported as not priced",
        ));
    }
    if c.contains("Performance Insights") {
        return Some(Gap(
            "Performance Insights long-term retention is not priced yet",
        ));
    }
    if c.starts_with("DNS /") {
        return Some(Gap("the AKS DNS zone is not priced"));
    }
    if t == "google_compute_disk"
        && (c.contains("extreme") || c.contains("Hyperdisk") || c == "Provisioned IOPS")
        && !a.contains("size")
    {
        return Some(Gap(
            "extreme disks without a size or IOPS: the plugin does not assume Infracost's 1,000 GB and 100,000 IOPS",
        ));
    }
    None
}

/// Resources whose recorded attributes are not enough to rebuild them,
/// because they depend on a resource or module the reference does not
/// describe, or on a value (an image's size) only the provider knows.
fn not_reconstructible(row: &Row) -> Option<&'static str> {
    let a = row.attributes.as_str();
    let c = row.component.as_str();
    if c.starts_with("module.") || c.contains("[n]") || row.address.starts_with("module.") {
        return Some("the resource is built by a module the reference does not record");
    }
    if row.type_ == "aws_eks_node_group"
        && a.contains("launch_template.version")
        && !a.contains("launch_template.id")
    {
        return Some("the launch template is referenced by a name the reference does not record");
    }
    if a.contains("var.") || a.contains("local.") {
        return Some("an attribute is set from a variable the reference does not record");
    }
    if row.type_ == "google_compute_disk"
        && !a.contains("size")
        && (row.address.contains("image") || row.address.contains("snapshot"))
    {
        return Some(
            "the disk's size comes from an image or snapshot the reference does not record",
        );
    }
    if row.type_ == "google_compute_address" && c.contains("VM)") {
        return Some("the instance that uses the address is not recorded");
    }
    if a.is_empty()
        && !matches!(
            row.type_.as_str(),
            "aws_eip" | "aws_eks_cluster" | "aws_nat_gateway" | "google_compute_address"
        )
    {
        return Some("the reference records no attributes for this resource");
    }
    None
}

/// Attributes that Infracost's test configurations set but the reference
/// rows do not record, keyed by address (from the `.tf` files of its tests).
fn supplements() -> HashMap<&'static str, Json> {
    let k80 = json!([{"type": "nvidia-tesla-k80", "count": 4}]);
    let preemptible = json!([{"preemptible": true}]);
    let mut m = HashMap::new();
    m.insert(
        "aws_vpc_endpoint.multiple_interfaces",
        json!({"subnet_ids": ["subnet-a", "subnet-b"]}),
    );
    m.insert(
        "aws_vpc_endpoint.with_dynamic_subnet",
        json!({"subnet_ids": ["subnet-a", "subnet-b"]}),
    );
    m.insert(
        "google_compute_instance.ssd",
        json!({"boot_disk": [{"initialize_params": [{"size": 40, "type": "pd-ssd"}]}]}),
    );
    m.insert(
        "google_compute_instance.local_ssd",
        json!({"scratch_disk": [{"interface": "SCSI"}, {"interface": "SCSI"}]}),
    );
    m.insert(
        "google_compute_instance.preemptible_local_ssd",
        json!({"scratch_disk": [{"interface": "SCSI"}], "scheduling": preemptible}),
    );
    m.insert(
        "google_compute_instance.preemptible",
        json!({"scheduling": preemptible}),
    );
    m.insert(
        "google_compute_instance.gpu",
        json!({"guest_accelerator": k80}),
    );
    m.insert(
        "google_compute_instance.gpu_with_hours",
        json!({"guest_accelerator": k80}),
    );
    m.insert(
        "google_compute_instance.preemptible_gpu",
        json!({"guest_accelerator": k80, "scheduling": preemptible}),
    );
    for (name, lt) in [
        ("asg_mixed_instance_basic", "lt_mixed_instance_basic"),
        ("asg_mixed_instance_dynamic", "lt_mixed_instance_dynamic"),
    ] {
        let weight = if name.ends_with("basic") {
            json!("2")
        } else {
            Json::Null
        };
        m.insert(
            if name.ends_with("basic") { "aws_autoscaling_group.asg_mixed_instance_basic" } else { "aws_autoscaling_group.asg_mixed_instance_dynamic" },
            json!({"mixed_instances_policy": [{"launch_template": [{
                "launch_template_specification": [{"launch_template_id": format!("@aws_launch_template.{lt}.id")}],
                "override": [{"instance_type": "t2.large", "weighted_capacity": weight}, {"instance_type": "t2.xlarge"}]}],
                "instances_distribution": [{"on_demand_base_capacity": 1, "on_demand_percentage_above_base_capacity": 100}]}]}),
        );
    }
    m
}

/// The attributes of resources that reference rows only point at, from the
/// Terraform configurations of Infracost's own tests, keyed by resource name.
fn referenced_resources() -> HashMap<&'static str, Json> {
    let mut m = HashMap::new();
    let lc = |instance_type: &str, extra: Json| {
        let mut v = json!({"image_id": "fake_ami", "instance_type": instance_type});
        v.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        v
    };
    let ebs = |size: f64, kind: Option<&str>| json!({"device_name": "xvdf", "volume_size": size, "volume_type": kind});
    // autoscaling_group_test.tf
    m.insert(
        "lc_basic",
        lc("t2.medium", json!({"root_block_device": [{"volume_size": 10}], "ebs_block_device": [ebs(10.0, None), ebs(10.0, Some("gp3"))]})),
    );
    m.insert(
        "lc_ebs_optimized",
        lc(
            "r3.xlarge",
            json!({"enable_monitoring": false, "ebs_optimized": true}),
        ),
    );
    m.insert(
        "lc_tenancy_dedicated",
        lc(
            "m3.medium",
            json!({"placement_tenancy": "dedicated", "enable_monitoring": false}),
        ),
    );
    m.insert(
        "lc_cpu_credits_noUsage",
        lc("t3.medium", json!({"enable_monitoring": false})),
    );
    m.insert(
        "lc_cpu_credits",
        lc("t3.medium", json!({"enable_monitoring": false})),
    );
    m.insert("lc_usage", lc("t2.medium", json!({"root_block_device": [{"volume_size": 10}], "ebs_block_device": [ebs(10.0, None)]})));
    let mapping = |size: f64, kind: Option<&str>, iops: Option<f64>| json!({"device_name": "xvdf", "ebs": [{"volume_size": size, "volume_type": kind, "iops": iops}]});
    m.insert("lt_basic", json!({"instance_type": "t2.medium", "block_device_mappings": [mapping(10.0, None, None), mapping(20.0, Some("io1"), Some(200.0))]}));
    m.insert(
        "lt_tenancy_dedicated",
        json!({"instance_type": "m3.medium", "placement": [{"tenancy": "dedicated"}]}),
    );
    m.insert(
        "lt_ebs_optimized",
        json!({"instance_type": "r3.xlarge", "ebs_optimized": "true"}),
    );
    m.insert(
        "lt_monitoring",
        json!({"instance_type": "t2.medium", "monitoring": [{"enabled": true}]}),
    );
    m.insert(
        "lt_cpu_credits_noUsage",
        json!({"instance_type": "t3.large"}),
    );
    m.insert("lt_cpu_credits", json!({"instance_type": "t3.large"}));
    m.insert(
        "lt_usage",
        json!({"instance_type": "t2.medium", "block_device_mappings": [mapping(10.0, None, None)]}),
    );
    m.insert(
        "lt_mixed_instance_basic",
        json!({"instance_type": "t2.medium"}),
    );
    m.insert(
        "lt_mixed_instance_dynamic",
        json!({"instance_type": "t2.medium"}),
    );
    // eks_node_group_test.tf
    let eks_template = |instance_type: Option<&str>, credits: &str| {
        json!({"instance_type": instance_type, "ebs_optimized": "true", "credit_specification": [{"cpu_credits": credits}],
               "block_device_mappings": [mapping(20.0, None, None)]})
    };
    m.insert("foo", eks_template(None, "unlimited"));
    m.insert("foo2", eks_template(Some("m5.xlarge"), "standard"));
    // container_node_pool_test.tf
    // As container_cluster_test records them: "default_regional" is in a zone.
    m.insert("default_regional", json!({"location": "us-central1-a"}));
    m.insert("default_zonal", json!({"location": "us-central1"}));
    m
}

// ------------------------------------------------------------ plan build ---

/// A value of the recorded attributes: a literal, or an expression the
/// reference kept as text (a reference, `each.value`, a variable).
fn literal(text: &str) -> Result<Json, String> {
    let t = text.trim();
    if let Some(inner) = t.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
        return inner
            .split(',')
            .filter(|s| !s.is_empty())
            .map(literal)
            .collect::<Result<Vec<_>, _>>()
            .map(Json::Array);
    }
    if t == "true" || t == "false" {
        return Ok(Json::Bool(t == "true"));
    }
    if let Ok(n) = t.parse::<f64>() {
        return Ok(json!(n));
    }
    let looks_like_reference = t.split('.').count() >= 2
        && (t.starts_with("aws_")
            || t.starts_with("google_")
            || t.starts_with("azurerm_")
            || t.starts_with("each.")
            || t.starts_with("data."));
    if looks_like_reference {
        return Err(t.to_string());
    }
    Ok(Json::String(t.to_string()))
}

/// Sets `a.b[1].c = v` in a Terraform JSON object, where every dotted step is
/// a nested block (a list of objects).
fn set_path(root: &mut Map<String, Json>, path: &str, value: Json) {
    let mut steps = path.split('.').peekable();
    let mut current = root;
    while let Some(step) = steps.next() {
        let (name, index) = match step.split_once('[') {
            Some((n, i)) => (n, i.trim_end_matches(']').parse::<usize>().unwrap_or(0)),
            None => (step, 0),
        };
        if steps.peek().is_none() {
            current.insert(name.to_string(), value);
            return;
        }
        let list = current.entry(name.to_string()).or_insert_with(|| json!([]));
        let items = list.as_array_mut().expect("a block");
        while items.len() <= index {
            items.push(json!({}));
        }
        current = items[index].as_object_mut().expect("a block object");
    }
}

/// `each.value.x` of a `for_each` resource, from its key in the address, for
/// the reference tests that use one.
fn each_value(row: &Row, expression: &str) -> Option<Json> {
    let key = row.address.split("[\"").nth(1)?.trim_end_matches("\"]");
    let field = expression
        .strip_prefix("each.value")?
        .trim_start_matches('.');
    match (row.type_.as_str(), field) {
        ("google_sql_database_instance", f) => {
            let parts: Vec<&str> = key.split('.').collect();
            let value = match f {
                "tier" => parts.first()?,
                "database_version" => parts.get(1)?,
                "availability_type" => parts.get(2)?,
                _ => return None,
            };
            Some(json!(value))
        }
        ("aws_eks_cluster", "") => Some(json!(key)),
        (_, "engine") => Some(json!(key.rsplit_once('-')?.0)),
        (_, "version") => Some(json!(key.rsplit_once('-')?.1)),
        _ => None,
    }
}

fn azure_region(region: &str) -> String {
    Cloud::Azure.normalise(region)
}

struct Built {
    plan: String,
    settings: String,
}

fn build(
    rows: &[&Row],
    referenced: &HashMap<&'static str, Json>,
    supplements: &HashMap<&'static str, Json>,
) -> Result<Built, String> {
    let row = rows[0];
    let provider = row.type_.split('_').next().unwrap_or("");
    let mut after = Map::new();
    let mut unknown = Map::new();
    let mut expressions = Map::new();
    let mut extra_changes = Vec::new();
    let mut extra_config = Vec::new();
    for pair in row.attributes.split(';').filter(|p| !p.is_empty()) {
        let (key, value) = pair
            .split_once('=')
            .ok_or_else(|| format!("attribute without value: {pair}"))?;
        match literal(value) {
            Ok(v) => set_path(&mut after, key, v),
            Err(expr) if expr.starts_with("each.") => {
                let v = each_value(row, &expr).ok_or_else(|| format!("cannot resolve `{expr}`"))?;
                set_path(&mut after, key, v);
            }
            Err(expr) => {
                // A reference: unknown in the plan, visible in the configuration.
                let target = expr
                    .rsplit_once('.')
                    .map_or(expr.as_str(), |(t, _)| t)
                    .to_string();
                set_path(&mut unknown, key, json!(true));
                set_path(&mut expressions, key, json!({"references": [expr, target]}));
                let (target_type, target_name) = target.split_once('.').unwrap_or(("", ""));
                if target_type == "azurerm_resource_group" {
                    extra_changes.push(change(
                        &target,
                        target_type,
                        provider,
                        json!({"location": azure_region(&row.region)}),
                    ));
                    extra_config.push(config_entry(&target, target_type, provider, json!({})));
                } else if let Some(attrs) = referenced.get(target_name) {
                    extra_changes.push(change(&target, target_type, provider, attrs.clone()));
                    extra_config.push(config_entry(&target, target_type, provider, json!({})));
                } else if PRICE_RELEVANT_TARGETS.contains(&target_type) {
                    return Err(format!("`{target}` is not described by the reference"));
                }
            }
        }
    }
    if let Some(extra) = supplements.get(row.address.as_str()) {
        let mut extra = extra.clone();
        let mut mask = json!({});
        let mut exprs = json!({});
        let mut targets = Vec::new();
        extract_references(&mut extra, &mut mask, &mut exprs, &mut targets);
        merge(&mut after, extra);
        merge(&mut unknown, mask);
        merge(&mut expressions, exprs);
        for target in targets {
            let (target_type, target_name) = target.split_once('.').unwrap_or(("", ""));
            let attrs = referenced
                .get(target_name)
                .ok_or_else(|| format!("`{target}` is not described"))?;
            extra_changes.push(change(&target, target_type, provider, attrs.clone()));
            extra_config.push(config_entry(&target, target_type, provider, json!({})));
        }
    }
    if provider == "azurerm" && !after.contains_key("location") && !unknown.contains_key("location")
    {
        after.insert("location".into(), json!(azure_region(&row.region)));
    }
    let region = match provider {
        "google" => Cloud::Google.normalise(&row.region),
        _ => row.region.clone(),
    };
    let mut provider_config = json!({"name": provider});
    if provider != "azurerm" {
        provider_config["expressions"] = json!({"region": {"constant_value": region}});
    }
    let mut config = vec![config_entry(
        &row.address,
        &row.type_,
        provider,
        Json::Object(expressions),
    )];
    config.extend(extra_config);
    let mut changes = vec![json!({
        "address": row.address, "mode": "managed", "type": row.type_, "name": "r",
        "provider_name": format!("registry.terraform.io/hashicorp/{provider}"),
        "change": {"actions": ["create"], "before": null, "after": Json::Object(after), "after_unknown": Json::Object(unknown)}
    })];
    changes.extend(extra_changes);
    let plan = json!({
        "format_version": "1.2",
        "configuration": {"provider_config": {provider: provider_config}, "root_module": {"resources": config}},
        "resource_changes": changes,
    });
    let figures: Map<String, Json> = row
        .usage
        .split(';')
        .filter_map(|p| p.split_once('='))
        .filter_map(|(k, v)| v.parse::<f64>().ok().map(|n| (k.to_string(), json!(n))))
        .filter(|(k, _)| {
            resources::pricer(&row.type_).is_some_and(|p| p.usage_keys.contains(&k.as_str()))
        })
        .collect();
    let settings = json!({"usage": {row.address.clone(): figures}});
    Ok(Built {
        plan: plan.to_string(),
        settings: settings.to_string(),
    })
}

/// Types whose contents decide the price of what refers to them.
const PRICE_RELEVANT_TARGETS: &[&str] = &[
    "aws_launch_template",
    "aws_launch_configuration",
    "aws_db_instance",
    "aws_rds_cluster",
    "google_container_cluster",
];

/// Merges `extra` into `into`, object by object; other values replace.
fn merge(into: &mut Map<String, Json>, extra: Json) {
    let Json::Object(extra) = extra else { return };
    for (k, v) in extra {
        match (into.get_mut(&k), v) {
            (Some(Json::Object(a)), Json::Object(b)) => merge(a, Json::Object(b)),
            (_, v) => {
                into.insert(k, v);
            }
        }
    }
}

/// Turns `"@type.name.attr"` strings in a supplement into references: the
/// value becomes unknown, and the configuration gets the expression.
fn extract_references(
    value: &mut Json,
    mask: &mut Json,
    exprs: &mut Json,
    targets: &mut Vec<String>,
) {
    match value {
        Json::Object(map) => {
            for (k, v) in map.iter_mut() {
                if let Some(reference) = v
                    .as_str()
                    .and_then(|s| s.strip_prefix('@'))
                    .map(str::to_owned)
                {
                    let target = reference
                        .rsplit_once('.')
                        .map_or(reference.clone(), |(t, _)| t.to_string());
                    mask[k.as_str()] = json!(true);
                    exprs[k.as_str()] = json!({"references": [reference, target.clone()]});
                    targets.push(target);
                    *v = Json::Null;
                } else if v.is_object() || v.is_array() {
                    let mut m = if v.is_array() { json!([]) } else { json!({}) };
                    let mut e = m.clone();
                    extract_references(v, &mut m, &mut e, targets);
                    mask[k.as_str()] = m;
                    exprs[k.as_str()] = e;
                }
            }
        }
        Json::Array(items) => {
            for item in items.iter_mut() {
                let mut m = json!({});
                let mut e = json!({});
                extract_references(item, &mut m, &mut e, targets);
                if let (Some(ms), Some(es)) = (mask.as_array_mut(), exprs.as_array_mut()) {
                    ms.push(m);
                    es.push(e);
                }
            }
        }
        _ => {}
    }
}

fn change(address: &str, type_: &str, provider: &str, after: Json) -> Json {
    json!({"address": address, "mode": "managed", "type": type_, "name": "r",
           "provider_name": format!("registry.terraform.io/hashicorp/{provider}"),
           "change": {"actions": ["create"], "before": null, "after": after, "after_unknown": {"id": true}}})
}

fn config_entry(address: &str, type_: &str, provider: &str, expressions: Json) -> Json {
    json!({"address": address, "mode": "managed", "type": type_, "name": "r", "provider_config_key": provider, "expressions": expressions})
}

// ------------------------------------------------------------- matching ---

/// A component name reduced to what both tools agree on: lower case, no
/// "assumed" notes, no launch-template prefix, and the plugin's wording
/// mapped to Infracost's where they differ.
fn canonical(name: &str) -> String {
    let mut n = name.to_ascii_lowercase();
    // Notes the plugin adds in parentheses: "(8 GB gp2 assumed; ...)", "(500 GB default)".
    while let Some(start) = n.rfind(" (").filter(|&i| {
        let note = &n[i..];
        note.contains("assumed") || note.contains(" default)")
    }) {
        let end = n[start..].find(')').map_or(n.len(), |e| start + e + 1);
        n.replace_range(start..end, "");
    }
    if let Some(rest) = n
        .strip_prefix("aws_launch_template.")
        .or_else(|| n.strip_prefix("aws_launch_configuration."))
    {
        n = rest
            .split_once(" / ")
            .map_or(rest.to_string(), |(_, r)| r.to_string());
    }
    n = n.replace(".elasticsearch", ".search");
    let renames = [
        ("ip address (if unused)", "public ipv4 address"),
        (
            "standard provisioned storage (pd-standard)",
            "storage (pd-standard)",
        ),
        ("ssd provisioned storage (pd-ssd)", "storage (pd-ssd)"),
        (
            "extreme provisioned storage (pd-extreme)",
            "storage (pd-extreme)",
        ),
        (
            "hyperdisk provisioned storage (hyperdisk-extreme)",
            "storage (hyperdisk-extreme)",
        ),
        ("local ssd provisioned storage", "local ssd"),
        ("provisioned gp3 iops (above 12,000)", "provisioned iops"),
        ("provisioned gp3 iops (above 3,000)", "provisioned iops"),
        ("uptime sla", "uptime sla (standard tier)"),
        (
            "ip address (unused)",
            "ip address (reserved, not used by an instance in this plan)",
        ),
        ("autopilot", "autopilot cluster management fee"),
    ];
    for (theirs, ours) in renames {
        if n.ends_with(theirs) {
            n = format!("{}{ours}", &n[..n.len() - theirs.len()]);
        }
    }
    if let Some(rest) = n.strip_prefix("instance (kafka.") {
        n = format!("broker instance (kafka.{rest}");
    }
    // "default_pool / nvidia tesla k80 (on-demand)" -> "default_pool / gpu (nvidia-tesla-k80, on-demand)"
    let (prefix, last) = n
        .rsplit_once(" / ")
        .map_or((String::new(), n.clone()), |(p, l)| {
            (format!("{p} / "), l.to_string())
        });
    if let Some((gpu, model)) = last
        .strip_prefix("nvidia ")
        .and_then(|g| g.split_once(" ("))
    {
        n = format!("{prefix}gpu (nvidia-{}, {model}", gpu.replace(' ', "-"));
    }
    n
}

/// The plugin's component for a reference row, by canonical name; the boot
/// disk of an instance and the storage of a disk share one reference name.
fn find<'c>(components: &'c [Component], row: &Row) -> Option<&'c Component> {
    let wanted = canonical(&row.component);
    components.iter().find(|c| {
        let ours = canonical(&c.name);
        ours == wanted
            || ours.replace("boot disk", "storage") == wanted
            || (row.type_ == "aws_msk_cluster" && wanted == "storage" && ours == "broker storage")
            || (wanted.starts_with("ip address (standard vm)")
                && ours.starts_with("ip address (in use"))
    })
}

/// Unit prices in the table that come from a list-price source rather than
/// from Infracost's goldens, by provider: a match on one of these is an
/// independent check, not the reference agreeing with itself.
fn independent_prices() -> Vec<(String, String, f64)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("pricing/prices.tsv");
    let text = std::fs::read_to_string(path).expect("the committed table");
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|c| c.len() == 7 && c[6] != "infracost-goldens")
        .map(|c| {
            (
                c[0].to_string(),
                c[1].to_string(),
                c[5].parse().unwrap_or(f64::NAN),
            )
        })
        .collect()
}

#[derive(Default)]
struct Tally {
    independent: usize,
    compared: usize,
    within: usize,
    mismatches: Vec<String>,
    exceptions: BTreeMap<Exception, usize>,
    skipped: BTreeMap<String, usize>,
    per_type: BTreeMap<String, (usize, usize)>,
}

#[test]
fn components_are_within_one_percent_of_the_reference() {
    let Some(rows) = reference() else {
        println!(
            "skipping the accuracy test: ../shared/pricing/infracost_reference.tsv is not there"
        );
        return;
    };
    let referenced = referenced_resources();
    let supplements = supplements();
    let independent = independent_prices();
    let priced = |t: &str| resources::pricer(t).is_some_and(|p| matches!(p.kind, Kind::Priced(_)));
    let mut groups: BTreeMap<(String, String), Vec<&Row>> = BTreeMap::new();
    for row in rows
        .iter()
        .filter(|r| priced(&r.type_) && r.ok && !r.usage_based)
    {
        groups
            .entry((row.test.clone(), row.address.clone()))
            .or_default()
            .push(row);
    }
    let mut tally = Tally::default();
    let meta = Metadata::of::<cost::CostPolicy>("cost", "0");
    for rows in groups.values() {
        if let Some(reason) = not_reconstructible(rows[0]) {
            *tally
                .skipped
                .entry(format!("not reconstructible: {reason}"))
                .or_default() += rows.len();
            continue;
        }
        let built = match build(rows, &referenced, &supplements) {
            Ok(b) => b,
            Err(reason) => {
                *tally
                    .skipped
                    .entry(format!("not reconstructible: {reason}"))
                    .or_default() += rows.len();
                continue;
            }
        };
        let plan_file: PlanFile = serde_json::from_str(&built.plan).expect("built plan parses");
        let subscription = Subscription {
            resource_types: &meta.resource_types,
            needs_configuration: true,
        };
        let input = CheckInput::for_plugin(&plan_file, "accuracy", subscription);
        let plan = Plan::new(&input);
        let index = PlanIndex::new(&plan);
        let settings: cost::settings::Settings =
            serde_json::from_str(&built.settings).expect("settings parse");
        let settings = settings.validate().expect("settings are valid");
        let costs = cost_plan(&plan, &index, &settings);
        let Some(cost) = costs.iter().find(|c| c.rc.address() == rows[0].address) else {
            *tally.skipped.entry("not priced at all".into()).or_default() += rows.len();
            continue;
        };
        let components = cost.after.components();
        for row in rows {
            if row.component.starts_with("Replica /") {
                *tally.skipped.entry("not reconstructible: the replica is another resource the reference does not record".into()).or_default() += 1;
                continue;
            }
            if let Some(exception) = exception(row) {
                *tally.exceptions.entry(exception).or_default() += 1;
                continue;
            }
            let Some(ours) = find(components, row) else {
                if row.monthly == 0.0 && matches!(cost.after, cost::estimate::Estimate::Priced(_)) {
                    // Nothing charged on either side (an EBS optimisation that current
                    // instance types include): agreement.
                    tally.compared += 1;
                    tally.within += 1;
                    let entry = tally.per_type.entry(row.type_.clone()).or_default();
                    entry.0 += 1;
                    entry.1 += 1;
                    continue;
                }
                let why = match &cost.after {
                    cost::estimate::Estimate::Unpriced(NotPriced::RegionNotInTable { .. }) => {
                        "region not in the table".into()
                    }
                    cost::estimate::Estimate::Unpriced(r) => format!("unpriced: {}", r.category()),
                    _ => "no matching component".into(),
                };
                if why == "no matching component" || why.starts_with("unpriced") {
                    tally.mismatches.push(format!(
                        "{} {}: {}: {why}; ours: {:?}",
                        row.test,
                        row.address,
                        row.component,
                        components.iter().map(|c| &c.name).collect::<Vec<_>>()
                    ));
                    tally.compared += 1;
                    tally.per_type.entry(row.type_.clone()).or_default().0 += 1;
                } else {
                    *tally.skipped.entry(why).or_default() += 1;
                }
                continue;
            };
            if let Err(NotPriced::RegionNotInTable { .. }) = &ours.price {
                *tally
                    .skipped
                    .entry("region not in the table".into())
                    .or_default() += 1;
                continue;
            }
            tally.compared += 1;
            let entry = tally.per_type.entry(row.type_.clone()).or_default();
            entry.0 += 1;
            let monthly = ours.monthly();
            let close = monthly.is_some_and(|m| {
                (m - row.monthly).abs() <= (TOLERANCE * row.monthly.abs()).max(0.01)
            });
            if close {
                tally.within += 1;
                entry.1 += 1;
                let provider = Cloud::of_type(&row.type_).map_or("", |c| c.table_name());
                let region = cost.region.as_ref().map_or("", |r| r.name.as_str());
                // Only components those sources cover: machine hours everywhere,
                // and GCE disks and addresses.
                let covered = ours.name.contains("Instance usage")
                    || (provider == "google"
                        && ["Storage (pd-", "Boot disk", "Local SSD", "IP address"]
                            .iter()
                            .any(|n| ours.name.contains(n)));
                if let Ok(price) = ours.price
                    && covered
                    && independent
                        .iter()
                        .any(|(p, r, usd)| p == provider && r == region && *usd == price)
                {
                    tally.independent += 1;
                }
            } else {
                tally.mismatches.push(format!(
                    "{} {}: {}: reference ${:.2}, ours {:?} ({}: {:?} x {:?})",
                    row.test,
                    row.address,
                    row.component,
                    row.monthly,
                    monthly,
                    ours.name,
                    ours.price,
                    ours.quantity
                ));
            }
        }
    }
    println!(
        "reference rows compared: {}, within 1%: {}",
        tally.compared, tally.within
    );
    println!(
        "  of those, {} were priced from an independent list-price source (Karpenter, Cyclenerd); the rest use rates recovered from the goldens",
        tally.independent
    );
    for (t, (n, ok)) in &tally.per_type {
        println!("  {t}: {ok}/{n}");
    }
    println!("documented exceptions (not compared):");
    for (exception, n) in &tally.exceptions {
        match exception {
            Exception::ReferenceDiffers(reason) => println!("  {n:4}  reference differs: {reason}"),
            Exception::NotPriced(reason) => println!("  {n:4}  not priced by the plugin: {reason}"),
        }
    }
    println!("not compared:");
    for (reason, n) in &tally.skipped {
        println!("  {n:4}  {reason}");
    }
    for m in &tally.mismatches {
        println!("MISMATCH {m}");
    }
    assert!(tally.compared > 0);
    assert!(
        tally.mismatches.is_empty(),
        "{} rows are not within 1% and not explained",
        tally.mismatches.len()
    );
}
