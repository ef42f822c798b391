//! The subscribed changes by address, plus the configuration index, built once
//! per check so pricers can follow references without scanning the plan.

use std::collections::HashMap;

use tfwarden_sdk::prelude::*;

use crate::config::ConfigIndex;

/// Which side of a change is being priced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Before,
    After,
}

impl Side {
    /// The values of `rc` on this side.
    pub fn of<'a>(self, rc: &ResourceChange<'a>) -> Value<'a> {
        match self {
            Side::Before => rc.before(),
            Side::After => rc.after(),
        }
    }
}

pub struct PlanIndex<'a> {
    pub config: ConfigIndex<'a>,
    by_address: HashMap<&'a str, ResourceChange<'a>>,
}

impl<'a> PlanIndex<'a> {
    pub fn new(plan: &Plan<'a>) -> Self {
        PlanIndex {
            config: ConfigIndex::new(plan.configuration()),
            by_address: plan.changes().map(|rc| (rc.address(), rc)).collect(),
        }
    }

    pub fn change(&self, address: &str) -> Option<ResourceChange<'a>> {
        self.by_address.get(address).copied()
    }

    /// The first resource of one of `types` that the expression at `path` of
    /// `address` refers to, when that resource is in the plan.
    pub fn referenced(
        &self,
        address: &str,
        path: &str,
        types: &[&str],
    ) -> Option<ResourceChange<'a>> {
        self.config
            .references(address, path)
            .iter()
            .filter_map(|r| self.change(r))
            .find(|rc| types.contains(&rc.type_()))
    }

    /// An attribute read through a reference, such as an Azure resource's
    /// `location = azurerm_resource_group.rg.location`, on the same side.
    pub fn referenced_attribute(&self, address: &str, path: &str, side: Side) -> Option<String> {
        self.config.references(address, path).iter().find_map(|r| {
            let (target, attribute) = r.rsplit_once('.')?;
            let rc = self.change(target)?;
            side.of(&rc)
                .get(attribute)
                .str()
                .known()
                .map(|s| s.into_owned())
        })
    }
}
