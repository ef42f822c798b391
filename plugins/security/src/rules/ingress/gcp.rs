//! Openings in GCP `google_compute_firewall` ingress rules.

use tfwarden_sdk::prelude::*;

use super::Opening;
use crate::context::{Ctx, Resource};
use crate::support::net::{PortRange, Protocol, is_internet_cidr};
use crate::support::values::{blocks, find_str, known_strings};

const DEFAULT_SOURCE: &str = "no `source_ranges`, `source_tags` or `source_service_accounts` are set, so GCP applies the rule to 0.0.0.0/0";

pub fn openings<'a>(ctx: &Ctx<'a>, out: &mut Vec<Opening<'a>>) {
    for rc in ctx.configured("google_compute_firewall") {
        let after = rc.after();
        if after.get("disabled").bool() == Known(true)
            || after.get("direction").str() == Known("EGRESS".into())
        {
            continue;
        }
        let (source, note) = source(ctx, &rc, &after);
        for allow in blocks(&after.get("allow")) {
            let protocol = allow.get("protocol").str().map(|p| Protocol::parse(&p));
            for ports in port_ranges(&allow) {
                out.push(Opening {
                    rc,
                    path: "source_ranges".into(),
                    source: source.clone(),
                    protocol,
                    ports,
                    unknown_source_note: note,
                });
            }
        }
    }
}

/// Who may connect. GCP treats a rule with no source at all as open to
/// 0.0.0.0/0, which the plan shows only as an unknown `source_ranges`.
fn source(ctx: &Ctx, rc: &Resource, after: &Value) -> (Attr<String>, Option<&'static str>) {
    let ranges = after.get("source_ranges");
    match find_str(&ranges, is_internet_cidr) {
        Known(cidr) => (Known(cidr), None),
        found => {
            let narrowed = ["source_tags", "source_service_accounts"]
                .iter()
                .any(|key| !known_strings(&after.get(key)).is_empty());
            let no_ranges = known_strings(&ranges).is_empty();
            match found {
                _ if narrowed => (Absent, None),
                Unknown if ctx.configures(rc, "source_ranges") => (Unknown, None),
                _ if no_ranges => (Unknown, Some(DEFAULT_SOURCE)),
                _ => (Absent, None),
            }
        }
    }
}

/// An `allow` block's ports; no list means every port of the protocol.
fn port_ranges(allow: &Value) -> Vec<Attr<PortRange>> {
    match allow.get("ports").items() {
        Known(ports) if !ports.is_empty() => ports
            .iter()
            .map(|p| match p.str() {
                Known(spec) => PortRange::parse(&spec).map_or(Absent, Known),
                Unknown => Unknown,
                Absent => Absent,
            })
            .collect(),
        Unknown => vec![Unknown],
        _ => vec![Known(PortRange::ALL)],
    }
}
