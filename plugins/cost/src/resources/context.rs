//! What a pricer knows while pricing one side of one resource change: its
//! region, its usage figures, the price table, and the rest of the plan.

use tfwarden_sdk::prelude::*;

use crate::estimate::{Component, HOURS_PER_MONTH, NotPriced, Price, Quantity};
use crate::plan_index::{PlanIndex, Side};
use crate::prices::{self, PriceKey};
use crate::region::Cloud;
use crate::usage::Usage;

pub struct Ctx<'c, 'a> {
    pub address: &'c str,
    pub cloud: Cloud,
    pub region: &'c str,
    pub usage: Usage<'c>,
    pub index: &'c PlanIndex<'a>,
    pub side: Side,
}

impl<'a> Ctx<'_, 'a> {
    /// The price of `key` in this resource's region, or why there is none.
    pub fn price(&self, service: &str, unit: &str, key: &str) -> Price {
        self.price_in(self.region, service, unit, key)
    }

    /// The price of `key` in another region, for replicas in other regions.
    pub fn price_in(&self, region: &str, service: &str, unit: &str, key: &str) -> Price {
        let provider = self.cloud.table_name();
        let k = PriceKey {
            provider,
            region,
            service,
            unit,
            key,
        };
        prices::lookup(&k).ok_or_else(|| {
            if prices::covers_service(provider, region, service) {
                NotPriced::NotInTable {
                    what: format!("{service} `{key}`"),
                    region: region.to_string(),
                }
            } else {
                NotPriced::RegionNotInTable {
                    region: region.to_string(),
                    service: service.to_string(),
                }
            }
        })
    }

    /// A usage figure from the settings.
    pub fn usage(&self, key: &str) -> Option<f64> {
        self.usage.get(key)
    }

    /// A monthly quantity from a usage figure times `scale`, or "depends on usage".
    pub fn usage_quantity(&self, key: &'static str, scale: f64) -> Quantity {
        match self.usage(key) {
            Some(v) => Quantity::FromUsage(v * scale),
            None => Quantity::DependsOnUsage { key },
        }
    }

    /// Hours a month the resource runs: 730, or the `monthly_hrs` usage figure.
    pub fn hours(&self) -> f64 {
        self.usage("monthly_hrs").unwrap_or(HOURS_PER_MONTH)
    }

    /// The quantity of an hourly component that runs `count` at once.
    pub fn hourly(&self, count: f64) -> Quantity {
        match self.usage("monthly_hrs") {
            Some(hours) => Quantity::FromUsage(hours * count),
            None => Quantity::Monthly(HOURS_PER_MONTH * count),
        }
    }

    /// An always-on hourly component: `name` costs `price` per hour, `count` at once.
    pub fn per_hour(&self, name: impl Into<String>, price: Price, count: f64) -> Component {
        Component::new(name, "hour", price, self.hourly(count))
    }

    /// A resource this one refers to, on the same side of the plan.
    pub fn referenced(&self, path: &str, types: &[&str]) -> Option<Value<'a>> {
        let rc = self.index.referenced(self.address, path, types)?;
        let value = self.side.of(&rc);
        (!value.is_absent()).then_some(value)
    }
}

impl Ctx<'_, '_> {
    /// A string attribute, or the provider's `default` when it is unset, or
    /// unknown only because the provider fills it in at apply (the
    /// configuration does not set it). The flag says the default was assumed.
    pub fn or_default(
        &self,
        value: Value<'_>,
        path: &str,
        default: &str,
    ) -> Result<(String, bool), NotPriced> {
        match value.str() {
            Known(s) if !s.is_empty() => Ok((s.into_owned(), false)),
            Unknown if self.index.config.sets(self.address, path) => Err(unknown(path)),
            Unknown => Ok((default.to_string(), true)),
            _ => Ok((default.to_string(), false)),
        }
    }

    /// A number attribute with the same default rules as [`Ctx::or_default`].
    pub fn number_or_default(
        &self,
        value: Value<'_>,
        path: &str,
        default: f64,
    ) -> Result<(f64, bool), NotPriced> {
        match crate::fields::number(value) {
            Known(n) => Ok((n, false)),
            Unknown if self.index.config.sets(self.address, path) => Err(unknown(path)),
            Unknown => Ok((default, true)),
            Absent => Ok((default, false)),
        }
    }
}

/// An attribute that must be known to price, as a string.
pub fn required_str(value: Value<'_>, path: &str) -> Result<String, NotPriced> {
    match value.str() {
        Known(s) if !s.is_empty() => Ok(s.into_owned()),
        Unknown => Err(NotPriced::UnknownUntilApply { path: path.into() }),
        _ => Err(NotPriced::Unresolved(format!("`{path}` is not set"))),
    }
}

/// A price that cannot be computed because `path` is known only after apply.
pub fn unknown(path: &str) -> NotPriced {
    NotPriced::UnknownUntilApply { path: path.into() }
}
