//! Openings in Azure network security groups: inline `security_rule` blocks
//! and separate `azurerm_network_security_rule` resources, which share names.

use tfwarden_sdk::prelude::*;

use super::Opening;
use crate::context::{Ctx, Resource};
use crate::support::net::{PortRange, Protocol, is_azure_internet_prefix};
use crate::support::values::{blocks, find_str};

pub fn openings<'a>(ctx: &Ctx<'a>, out: &mut Vec<Opening<'a>>) {
    for rc in ctx.configured("azurerm_network_security_group") {
        for (i, rule) in blocks(&rc.after().get("security_rule")).iter().enumerate() {
            push_rule(rc, rule, &format!("security_rule.{i}."), out);
        }
    }
    for rc in ctx.configured("azurerm_network_security_rule") {
        push_rule(rc, &rc.after(), "", out);
    }
}

fn push_rule<'a>(rc: Resource<'a>, rule: &Value<'a>, prefix: &str, out: &mut Vec<Opening<'a>>) {
    let is = |key: &str, wanted: &str| matches!(rule.get(key).str(), Known(v) if v.eq_ignore_ascii_case(wanted));
    if !is("direction", "Inbound") || !is("access", "Allow") {
        return;
    }
    let single = find_str(&rule.get("source_address_prefix"), is_azure_internet_prefix);
    let listed = find_str(
        &rule.get("source_address_prefixes"),
        is_azure_internet_prefix,
    );
    let (path, source) = match (single, listed) {
        (Known(prefix), _) => ("source_address_prefix", Known(prefix)),
        (_, Known(prefix)) => ("source_address_prefixes", Known(prefix)),
        (Unknown, _) => ("source_address_prefix", Unknown),
        (_, Unknown) => ("source_address_prefixes", Unknown),
        _ => ("source_address_prefix", Absent),
    };
    let protocol = rule.get("protocol").str().map(|p| Protocol::parse(&p));
    let mut ranges: Vec<Attr<PortRange>> = Vec::new();
    for key in ["destination_port_range", "destination_port_ranges"] {
        let value = rule.get(key);
        match value.items() {
            Known(items) => ranges.extend(items.iter().map(port)),
            Unknown => ranges.push(Unknown),
            Absent => {
                if !matches!(value.str(), Known(ref s) if s.is_empty()) {
                    ranges.push(port(&value));
                }
            }
        }
    }
    for ports in ranges.into_iter().filter(|p| !p.is_absent()) {
        out.push(Opening {
            rc,
            path: format!("{prefix}{path}"),
            source: source.clone(),
            protocol,
            ports,
            unknown_source_note: None,
        });
    }
}

fn port(value: &Value) -> Attr<PortRange> {
    match value.str() {
        Known(spec) => PortRange::parse(&spec).map_or(Absent, Known),
        Unknown => Unknown,
        Absent => Absent,
    }
}
