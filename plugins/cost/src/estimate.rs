//! What a price estimate is made of: components with a unit price and a
//! monthly quantity, and the reasons a price could not be found.
//!
//! The model keeps "could not price" apart from "costs nothing" everywhere, so
//! an unpriced resource can never be added to a total as $0.

use std::fmt;

/// Hours in the month every estimate uses.
pub const HOURS_PER_MONTH: f64 = 730.0;

/// Why something has no price. Shown to reviewers, so each says what to do.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NotPriced {
    /// The resource type has a cost but the plugin does not price it yet.
    UnsupportedType,
    /// No region in the resource, its provider configuration, or the defaults.
    UnknownRegion(String),
    /// The region is known but the price table has no prices of this service there.
    RegionNotInTable { region: String, service: String },
    /// A value the price depends on is known only after apply.
    UnknownUntilApply { path: String },
    /// The table has the region but not this product.
    NotInTable { what: String, region: String },
    /// The plan does not say enough, such as a launch template outside it.
    Unresolved(String),
}

impl NotPriced {
    /// A short category for counting: `unsupported type`, `unknown region`, ...
    pub fn category(&self) -> &'static str {
        match self {
            NotPriced::UnsupportedType => "unsupported type",
            NotPriced::UnknownRegion(_) => "unknown region",
            NotPriced::RegionNotInTable { .. } => "region not in table",
            NotPriced::UnknownUntilApply { .. } => "known only after apply",
            NotPriced::NotInTable { .. } => "SKU not in table",
            NotPriced::Unresolved(_) => "not resolvable from the plan",
        }
    }

    /// The attribute path a budget finding should point at, if there is one.
    pub fn path(&self) -> &str {
        match self {
            NotPriced::UnknownUntilApply { path } => path,
            _ => "",
        }
    }
}

impl fmt::Display for NotPriced {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotPriced::UnsupportedType => f.write_str("resource type not supported yet"),
            NotPriced::UnknownRegion(why) => write!(f, "unknown region ({why})"),
            NotPriced::RegionNotInTable { region, service } => {
                write!(
                    f,
                    "the price table has no `{service}` prices for region `{region}`"
                )
            }
            NotPriced::UnknownUntilApply { path } => {
                write!(f, "`{path}` is known only after apply")
            }
            NotPriced::NotInTable { what, region } => {
                write!(f, "{what} not in the price table for `{region}`")
            }
            NotPriced::Unresolved(why) => f.write_str(why),
        }
    }
}

/// A unit price, or why there is none.
pub type Price = Result<f64, NotPriced>;

/// How much of a component a month uses.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Quantity {
    /// Fixed by the configuration, such as 730 hours or 100 GB provisioned.
    Monthly(f64),
    /// Taken from the usage figures in the settings.
    FromUsage(f64),
    /// Depends on usage the settings do not give; `key` names the setting.
    DependsOnUsage { key: &'static str },
}

/// One priced part of a resource, such as compute hours or storage.
#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    pub name: String,
    /// The unit the price is per, as shown: `hour`, `GB-month`, `GB`, ...
    pub unit: &'static str,
    pub price: Price,
    pub quantity: Quantity,
}

impl Component {
    pub fn new(
        name: impl Into<String>,
        unit: &'static str,
        price: Price,
        quantity: Quantity,
    ) -> Self {
        Component {
            name: name.into(),
            unit,
            price,
            quantity,
        }
    }

    /// The monthly cost, when both price and quantity are known.
    pub fn monthly(&self) -> Option<f64> {
        let price = *self.price.as_ref().ok()?;
        match self.quantity {
            Quantity::Monthly(q) | Quantity::FromUsage(q) => Some(price * q),
            Quantity::DependsOnUsage { .. } => None,
        }
    }

    pub fn depends_on_usage(&self) -> bool {
        matches!(self.quantity, Quantity::DependsOnUsage { .. })
    }
}

/// The estimate of one resource as it is on one side of the change.
#[derive(Debug, Clone, PartialEq)]
pub enum Estimate {
    /// The resource does not exist on this side (before a create, after a delete).
    Absent,
    /// Priced; some components may still lack a price or depend on usage.
    Priced(Vec<Component>),
    /// Nothing could be priced.
    Unpriced(NotPriced),
}

impl Estimate {
    /// Builds an estimate. When no component has a price, the resource is
    /// unpriced as a whole, for the first (main) component's reason, so the
    /// report says why instead of calling it partly priced.
    pub fn of(components: Vec<Component>) -> Self {
        let all_missing = !components.is_empty() && components.iter().all(|c| c.price.is_err());
        match components.first() {
            Some(Component {
                price: Err(reason), ..
            }) if all_missing => Estimate::Unpriced(reason.clone()),
            _ => Estimate::Priced(components),
        }
    }

    /// The known monthly cost: every priced component with a known quantity.
    pub fn known_monthly(&self) -> f64 {
        match self {
            Estimate::Priced(components) => components.iter().filter_map(Component::monthly).sum(),
            Estimate::Absent | Estimate::Unpriced(_) => 0.0,
        }
    }

    /// Why part or all of this side could not be priced; empty when complete.
    pub fn missing(&self) -> Vec<(&str, &NotPriced)> {
        match self {
            Estimate::Priced(components) => components
                .iter()
                .filter_map(|c| c.price.as_ref().err().map(|r| (c.name.as_str(), r)))
                .collect(),
            Estimate::Unpriced(reason) => vec![("", reason)],
            Estimate::Absent => Vec::new(),
        }
    }

    /// True when the known monthly cost is the whole monthly cost (usage aside).
    pub fn is_complete(&self) -> bool {
        self.missing().is_empty()
    }

    pub fn components(&self) -> &[Component] {
        match self {
            Estimate::Priced(components) => components,
            _ => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hours(price: Price) -> Component {
        Component::new(
            "Instance",
            "hour",
            price,
            Quantity::Monthly(HOURS_PER_MONTH),
        )
    }

    #[test]
    fn monthly_cost_needs_price_and_quantity() {
        assert_eq!(hours(Ok(0.1)).monthly(), Some(73.0));
        let usage = Component::new(
            "Data",
            "GB",
            Ok(0.045),
            Quantity::DependsOnUsage {
                key: "data_processed_gb",
            },
        );
        assert_eq!(usage.monthly(), None);
        assert!(usage.depends_on_usage());
        assert_eq!(hours(Err(NotPriced::UnsupportedType)).monthly(), None);
    }

    #[test]
    fn all_missing_collapses_to_unpriced() {
        let reason = NotPriced::RegionNotInTable {
            region: "xx-1".into(),
            service: "ec2".into(),
        };
        let est = Estimate::of(vec![hours(Err(reason.clone())), hours(Err(reason.clone()))]);
        assert_eq!(est, Estimate::Unpriced(reason));
        assert_eq!(est.known_monthly(), 0.0);
        assert!(!est.is_complete());
    }

    #[test]
    fn nothing_priced_is_unpriced_for_the_main_reason() {
        let main = NotPriced::UnknownUntilApply {
            path: "instance_type".into(),
        };
        let est = Estimate::of(vec![
            hours(Err(main.clone())),
            hours(Err(NotPriced::UnsupportedType)),
        ]);
        assert_eq!(est, Estimate::Unpriced(main));
        assert_eq!(Estimate::of(Vec::new()), Estimate::Priced(Vec::new()));
    }

    #[test]
    fn partly_priced_keeps_known_parts_and_lists_the_rest() {
        let est = Estimate::of(vec![hours(Ok(0.1)), hours(Err(NotPriced::UnsupportedType))]);
        assert_eq!(est.known_monthly(), 73.0);
        assert_eq!(est.missing().len(), 1);
    }
}
