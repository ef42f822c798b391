//! Openings in AWS security groups: inline `ingress` blocks, and the separate
//! `aws_security_group_rule` and `aws_vpc_security_group_ingress_rule` resources.

use tfwarden_sdk::prelude::*;

use super::Opening;
use crate::context::{Ctx, Resource};
use crate::support::net::{PortRange, Protocol, is_internet_cidr};
use crate::support::values::{blocks, find_str};

pub fn openings<'a>(ctx: &Ctx<'a>, out: &mut Vec<Opening<'a>>) {
    for rc in ctx
        .configured("aws_security_group")
        .chain(ctx.configured("aws_default_security_group"))
    {
        // An unset `ingress` is computed, and rules then come from separate
        // resources, which are judged on their own.
        for (i, rule) in blocks(&rc.after().get("ingress")).iter().enumerate() {
            out.push(classic(rc, rule, &format!("ingress.{i}.")));
        }
    }
    for rc in ctx.configured("aws_security_group_rule") {
        let after = rc.after();
        if after.get("type").str() == Known("ingress".into()) {
            out.push(classic(rc, &after, ""));
        }
    }
    for rc in ctx.configured("aws_vpc_security_group_ingress_rule") {
        out.push(vpc_rule(rc));
    }
}

/// An inline `ingress` block or an `aws_security_group_rule`: both use
/// `cidr_blocks`, `ipv6_cidr_blocks`, `protocol`, `from_port` and `to_port`.
fn classic<'a>(rc: Resource<'a>, rule: &Value<'a>, prefix: &str) -> Opening<'a> {
    let v4 = find_str(&rule.get("cidr_blocks"), is_internet_cidr);
    let v6 = find_str(&rule.get("ipv6_cidr_blocks"), is_internet_cidr);
    let (path, source) = match (v4, v6) {
        (Known(cidr), _) => ("cidr_blocks", Known(cidr)),
        (_, Known(cidr)) => ("ipv6_cidr_blocks", Known(cidr)),
        (Unknown, _) => ("cidr_blocks", Unknown),
        (_, Unknown) => ("ipv6_cidr_blocks", Unknown),
        _ => ("cidr_blocks", Absent),
    };
    Opening {
        rc,
        path: format!("{prefix}{path}"),
        source,
        protocol: rule.get("protocol").str().map(|p| Protocol::parse(&p)),
        ports: ports(rule),
        unknown_source_note: None,
    }
}

fn vpc_rule(rc: Resource) -> Opening {
    let after = rc.after();
    let (path, source) = match (after.get("cidr_ipv4").str(), after.get("cidr_ipv6").str()) {
        (Known(cidr), _) if is_internet_cidr(&cidr) => ("cidr_ipv4", Known(cidr.into_owned())),
        (_, Known(cidr)) if is_internet_cidr(&cidr) => ("cidr_ipv6", Known(cidr.into_owned())),
        (Unknown, _) => ("cidr_ipv4", Unknown),
        (_, Unknown) => ("cidr_ipv6", Unknown),
        _ => ("cidr_ipv4", Absent),
    };
    Opening {
        rc,
        path: path.into(),
        source,
        protocol: after.get("ip_protocol").str().map(|p| Protocol::parse(&p)),
        ports: ports(&after),
        unknown_source_note: None,
    }
}

fn ports(rule: &Value) -> Attr<PortRange> {
    match (rule.get("from_port").i64(), rule.get("to_port").i64()) {
        (Known(from), Known(to)) => PortRange::from_numbers(from, to).map_or(Absent, Known),
        (Unknown, _) | (_, Unknown) => Unknown,
        _ => Absent,
    }
}
