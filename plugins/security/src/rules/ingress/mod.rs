//! SEC010–SEC013: ingress from the whole internet to SSH, RDP, database ports
//! or every port, through AWS security groups and their rule resources, GCP
//! firewalls and Azure network security groups.
//!
//! Each provider file turns its resources into `Opening`s (who may connect,
//! over which protocol, to which ports); this file decides which rule an
//! opening breaks. To change what counts as a database port, see
//! `settings::DEFAULT_DATABASE_PORTS`; to change a rule, change `classify`.

mod aws;
mod azure;
mod gcp;

use tfwarden_sdk::prelude::*;

use super::Check;
use crate::context::{Ctx, Resource};
use crate::support::net::{PortRange, Protocol};

pub const SSH: Rule = Rule::new(
    "SEC010",
    Severity::High,
    "network",
    "SSH is open to the internet",
)
.help(include_str!("../../../../../docs/rules/SEC010.md"));
pub const RDP: Rule = Rule::new(
    "SEC011",
    Severity::High,
    "network",
    "RDP is open to the internet",
)
.help(include_str!("../../../../../docs/rules/SEC011.md"));
pub const DATABASE: Rule = Rule::new(
    "SEC012",
    Severity::High,
    "network",
    "database port is open to the internet",
)
.help(include_str!("../../../../../docs/rules/SEC012.md"));
pub const ALL_PORTS: Rule = Rule::new(
    "SEC013",
    Severity::High,
    "network",
    "all ports are open to the internet",
)
.help(include_str!("../../../../../docs/rules/SEC013.md"));

pub const CHECK: Check = Check {
    rules: &[SSH, RDP, DATABASE, ALL_PORTS],
    types: &[
        "aws_security_group",
        "aws_default_security_group",
        "aws_security_group_rule",
        "aws_vpc_security_group_ingress_rule",
        "google_compute_firewall",
        "azurerm_network_security_group",
        "azurerm_network_security_rule",
    ],
    run,
};

/// One way in: who may connect (`source`), and to what.
pub struct Opening<'a> {
    pub rc: Resource<'a>,
    /// Where the source is written, for the finding's path and fix.
    pub path: String,
    /// `Known(range)` when the internet may connect, `Unknown` when the
    /// sources are known only after apply, `Absent` when they are narrower.
    pub source: Attr<String>,
    pub protocol: Attr<Protocol>,
    pub ports: Attr<PortRange>,
    /// Overrides the indeterminate message when the provider's default, not
    /// an unknown value, is what leaves the source open.
    pub unknown_source_note: Option<&'static str>,
}

fn run(ctx: &Ctx, out: &mut Findings) {
    let mut openings = Vec::new();
    aws::openings(ctx, &mut openings);
    gcp::openings(ctx, &mut openings);
    azure::openings(ctx, &mut openings);
    for opening in &openings {
        if !opening.source.is_absent() {
            judge(ctx, opening, out);
        }
    }
}

/// The services an opening exposes.
#[derive(Debug, PartialEq, Eq)]
enum Exposure {
    Nothing,
    /// Ports or protocol known only after apply.
    Undecided,
    Everything,
    Services(Vec<(&'static Rule, String)>),
}

fn classify(protocol: Protocol, ports: PortRange, database_ports: &[u16]) -> Exposure {
    if !protocol.has_ports() {
        return Exposure::Nothing;
    }
    if protocol == Protocol::All || ports.is_all() {
        return Exposure::Everything;
    }
    let mut hits = Vec::new();
    if protocol.carries_tcp() && ports.contains(22) {
        hits.push((&SSH, "tcp port 22 (SSH)".to_owned()));
    }
    if ports.contains(3389) {
        hits.push((&RDP, format!("{protocol} port 3389 (RDP)")));
    }
    if protocol.carries_tcp() {
        let open: Vec<String> = database_ports
            .iter()
            .filter(|p| ports.contains(**p))
            .map(u16::to_string)
            .collect();
        if !open.is_empty() {
            hits.push((
                &DATABASE,
                format!(
                    "database tcp {} {}",
                    plural("port", open.len()),
                    open.join(", ")
                ),
            ));
        }
    }
    if hits.is_empty() {
        Exposure::Nothing
    } else {
        Exposure::Services(hits)
    }
}

fn exposure(opening: &Opening, database_ports: &[u16]) -> Exposure {
    match (opening.protocol, opening.ports) {
        (Known(protocol), _) if !protocol.has_ports() => Exposure::Nothing,
        (Known(Protocol::All), _) => Exposure::Everything,
        (Known(protocol), Known(ports)) => classify(protocol, ports, database_ports),
        (Absent, _) | (_, Absent) => Exposure::Nothing,
        _ => Exposure::Undecided,
    }
}

fn judge(ctx: &Ctx, opening: &Opening, out: &mut Findings) {
    let hits = match exposure(opening, &ctx.settings.database_ports) {
        Exposure::Nothing => return,
        Exposure::Undecided => {
            let finding = out.indeterminate(ALL_PORTS.id, &opening.rc, &opening.path);
            finding.message =
                "ingress from the internet to ports known only after apply; check them once known"
                    .into();
            return;
        }
        Exposure::Everything => vec![(&ALL_PORTS, "every port".to_owned())],
        Exposure::Services(hits) => hits,
    };
    for (rule, what) in hits {
        match &opening.source {
            Known(source) => {
                out.report(
                    rule.id,
                    &opening.rc,
                    &opening.path,
                    format!("ingress from `{source}` to {what}"),
                );
            }
            _ => {
                let finding = out.indeterminate(rule.id, &opening.rc, &opening.path);
                if let Some(note) = opening.unknown_source_note {
                    finding.message = format!("{note}; this opens {what}");
                }
            }
        }
    }
}

fn plural(word: &str, n: usize) -> String {
    if n == 1 {
        word.to_owned()
    } else {
        format!("{word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DB: &[u16] = &[3306, 5432];

    fn rules_of(exposure: Exposure) -> Vec<&'static str> {
        match exposure {
            Exposure::Services(hits) => hits.iter().map(|(r, _)| r.id).collect(),
            Exposure::Everything => vec!["all"],
            _ => vec![],
        }
    }

    #[test]
    fn classifies_ports() {
        assert_eq!(
            rules_of(classify(Protocol::Tcp, PortRange::single(22), DB)),
            ["SEC010"]
        );
        assert_eq!(
            rules_of(classify(Protocol::Udp, PortRange::single(22), DB)),
            Vec::<&str>::new()
        );
        assert_eq!(
            rules_of(classify(Protocol::Udp, PortRange::single(3389), DB)),
            ["SEC011"]
        );
        assert_eq!(
            rules_of(classify(
                Protocol::Tcp,
                PortRange { from: 0, to: 10000 },
                DB
            )),
            ["SEC010", "SEC011", "SEC012"]
        );
        assert_eq!(
            rules_of(classify(
                Protocol::Tcp,
                PortRange { from: 1, to: 65535 },
                DB
            )),
            ["all"]
        );
        assert_eq!(
            rules_of(classify(Protocol::Tcp, PortRange::single(443), DB)),
            Vec::<&str>::new()
        );
        assert_eq!(
            classify(Protocol::Other, PortRange::ALL, DB),
            Exposure::Nothing
        );
    }
}
