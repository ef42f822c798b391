//! LIM001 and LIM002: target groups and listener rules per Application Load Balancer.
//!
//! Both quotas are per load balancer, and both are reached through the same
//! links (rule → listener → load balancer), so one pass gathers both counts.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use tfwarden_sdk::prelude::*;

use super::{Context, anchor, name_of};
use crate::links::{Kind, Linked, Links, Node, exists_after};
use crate::tally::Tally;

pub const TARGET_GROUPS: &str = "LIM001";
pub const RULES: &str = "LIM002";

/// What one load balancer will have after apply.
#[derive(Default)]
struct Balancer<'a> {
    target_groups: BTreeSet<Node<'a>>,
    unresolved_target_groups: Tally,
    rules: u64,
    members: Vec<usize>,
    touched: bool,
}

/// Listener rules and target group slots whose load balancer cannot be
/// established; each could belong to any load balancer.
#[derive(Default)]
struct Strays {
    rules: u64,
    target_groups: Tally,
}

pub fn check(ctx: &mut Context) {
    let links = ctx.links;
    let mut balancers: BTreeMap<Node, Balancer> = BTreeMap::new();
    let mut strays = Strays::default();
    let mut listener_balancer: HashMap<usize, Node> = HashMap::new();

    for (i, rc) in links.changes.iter().enumerate() {
        if !exists_after(rc) {
            continue;
        }
        match rc.type_() {
            "aws_lb" | "aws_alb" if is_application(rc.after()) => {
                balancers.entry(Node::Change(i)).or_default().touched |= rc.creates_or_updates();
            }
            "aws_lb_listener" | "aws_alb_listener" => {
                let after = rc.after();
                let target_groups =
                    forward_targets(links, i, after.get("default_action"), "default_action");
                let parent = links.link(
                    i,
                    after.get("load_balancer_arn"),
                    &["load_balancer_arn"],
                    Kind::LoadBalancer,
                );
                match parent {
                    Some(node) if !is_application_node(links, &node) => {}
                    Some(node) => {
                        let balancer = balancers.entry(node.clone()).or_default();
                        balancer.add(i, rc, target_groups);
                        listener_balancer.insert(i, node);
                    }
                    None => strays.target_groups += target_groups.as_doubt(),
                }
            }
            _ => {}
        }
    }
    // Rules come second: their load balancer is their listener's.
    for (i, rc) in links.changes.iter().enumerate() {
        if !matches!(rc.type_(), "aws_lb_listener_rule" | "aws_alb_listener_rule")
            || !exists_after(rc)
        {
            continue;
        }
        let after = rc.after();
        let target_groups = forward_targets(links, i, after.get("action"), "action");
        let parent = match links.link(
            i,
            after.get("listener_arn"),
            &["listener_arn"],
            Kind::Listener,
        ) {
            Some(Node::Change(listener)) => listener_balancer.get(&listener).cloned(),
            Some(Node::External(arn)) => {
                balancer_of_listener(&arn).map(|lb| links.by_id(Kind::LoadBalancer, lb.into()))
            }
            None => None,
        };
        match parent {
            Some(node) if !is_application_node(links, &node) => {}
            Some(node) => {
                let balancer = balancers.entry(node).or_default();
                balancer.add(i, rc, target_groups);
                balancer.rules += 1;
            }
            None => {
                strays.rules += 1;
                strays.target_groups += target_groups.as_doubt();
            }
        }
    }

    for (node, balancer) in &balancers {
        if !balancer.touched {
            continue; // AWS already holds exactly this; it was accepted.
        }
        let Some(at) = anchor(node, &balancer.members) else {
            continue;
        };
        let name = name_of(links, node);
        let mut target_groups = Tally::known(balancer.target_groups.len() as u64);
        target_groups += balancer.unresolved_target_groups;
        target_groups += strays.target_groups;
        let limit = ctx.settings.limits.max_target_groups_per_load_balancer;
        ctx.judge(TARGET_GROUPS, at, "", target_groups, limit, |n, limit| {
            format!(
                "Application Load Balancer {name} forwards to {n} target groups through its listeners and rules (limit {limit})"
            )
        });
        if balancer.rules > 0 || strays.rules > 0 {
            let rules = Tally {
                known: balancer.rules,
                unsure: strays.rules,
                unbounded: false,
            };
            let limit = ctx.settings.limits.max_rules_per_load_balancer;
            ctx.judge(RULES, at, "", rules, limit, |n, limit| {
                format!("Application Load Balancer {name} has {n} listener rules across its listeners (limit {limit})")
            });
        }
    }
}

impl<'a> Balancer<'a> {
    fn add(&mut self, member: usize, rc: &ResourceChange, target_groups: Linked<'a>) {
        self.members.push(member);
        self.touched |= rc.creates_or_updates();
        self.unresolved_target_groups += target_groups.unresolved_doubt();
        self.target_groups.extend(target_groups.nodes);
    }
}

impl Linked<'_> {
    /// The doubt these links add where they could not be followed.
    fn unresolved_doubt(&self) -> Tally {
        Tally {
            known: 0,
            unsure: self.unresolved,
            unbounded: self.unbounded,
        }
    }

    /// All of these links as doubt, for a listener or rule whose load balancer is unknown.
    fn as_doubt(&self) -> Tally {
        Tally {
            known: 0,
            unsure: self.nodes.len() as u64 + self.unresolved,
            unbounded: self.unbounded,
        }
    }
}

/// Every target group the actions at `key` forward to, plain or weighted.
fn forward_targets<'a>(links: &Links<'a>, at: usize, actions: Value<'a>, key: &str) -> Linked<'a> {
    let mut slots: Vec<Attr<Cow<'a, str>>> = Vec::new();
    let mut unbounded = false;
    match actions.items() {
        Known(actions) => {
            for action in actions {
                slots.push(action.get("target_group_arn").str());
                match action.get("forward").items() {
                    Known(forwards) => {
                        for forward in forwards {
                            match forward.get("target_group").items() {
                                Known(groups) => {
                                    slots.extend(groups.iter().map(|g| g.get("arn").str()))
                                }
                                Unknown => unbounded = true,
                                Absent => {}
                            }
                        }
                    }
                    Unknown => unbounded = true,
                    Absent => {}
                }
            }
        }
        Unknown => unbounded = true,
        Absent => {}
    }
    let mut linked = links.link_all(
        at,
        &slots,
        &[key],
        &["target_group_arn", "arn"],
        Kind::TargetGroup,
    );
    linked.unbounded |= unbounded;
    linked
}

/// Network and gateway load balancers have neither quota; an unknown type is judged as an ALB.
fn is_application(after: Value) -> bool {
    !matches!(after.get("load_balancer_type").str(), Known(t) if t != "application")
}

fn is_application_node(links: &Links, node: &Node) -> bool {
    match node {
        Node::Change(i) => is_application(links.change(*i).after()),
        Node::External(arn) => {
            !(arn.contains(":loadbalancer/net/") || arn.contains(":loadbalancer/gwy/"))
        }
    }
}

/// A listener's ARN contains its load balancer's:
/// `…:listener/app/NAME/LB_ID/LISTENER_ID` belongs to `…:loadbalancer/app/NAME/LB_ID`.
fn balancer_of_listener(listener_arn: &str) -> Option<String> {
    let (prefix, rest) = listener_arn.split_once(":listener/")?;
    let (balancer, _listener_id) = rest.rsplit_once('/')?;
    Some(format!("{prefix}:loadbalancer/{balancer}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listener_arn_names_its_balancer() {
        assert_eq!(
            balancer_of_listener("arn:aws:elasticloadbalancing:us-east-1:1:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2")
                .as_deref(),
            Some("arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/web/50dc6c495c0c9188")
        );
        assert_eq!(balancer_of_listener("not-an-arn"), None);
    }
}
