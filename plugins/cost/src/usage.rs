//! Usage figures from the settings, by resource type or address, so
//! usage-based components (requests, GB processed, storage used) can be priced.
//!
//! An address wins over a type: `aws_lambda_function.api` overrides
//! `aws_lambda_function` key by key.

use std::collections::BTreeMap;

use crate::config::config_address;

/// Figures by usage key, such as `data_processed_gb = 100`.
pub type Figures = BTreeMap<String, f64>;

/// All usage figures, split into per-type and per-address entries.
#[derive(Debug, Default, Clone)]
pub struct UsageTable {
    by_type: BTreeMap<String, Figures>,
    by_address: BTreeMap<String, Figures>,
}

impl UsageTable {
    /// Splits the `usage` setting: a key with a dot is an address, one
    /// without is a resource type.
    pub fn new(usage: BTreeMap<String, Figures>) -> Self {
        let mut table = UsageTable::default();
        for (key, figures) in usage {
            if key.contains('.') {
                table.by_address.insert(key, figures);
            } else {
                table.by_type.insert(key, figures);
            }
        }
        table
    }

    /// The figures that apply to one resource instance.
    pub fn for_resource(&self, type_: &str, address: &str) -> Usage<'_> {
        let exact = self.by_address.get(address);
        let block = if exact.is_none() {
            self.by_address.get(&config_address(address))
        } else {
            None
        };
        Usage {
            address: exact.or(block),
            type_: self.by_type.get(type_),
        }
    }
}

/// The usage figures of one resource.
#[derive(Debug, Default, Clone, Copy)]
pub struct Usage<'u> {
    address: Option<&'u Figures>,
    type_: Option<&'u Figures>,
}

impl Usage<'_> {
    pub fn get(&self, key: &str) -> Option<f64> {
        self.address
            .and_then(|f| f.get(key))
            .or_else(|| self.type_.and_then(|f| f.get(key)))
            .copied()
    }
}

/// The resource type an address or type key in the `usage` setting names:
/// `module.a.aws_instance.web[0]` names `aws_instance`.
pub fn type_of_key(key: &str) -> &str {
    if !key.contains('.') {
        return key;
    }
    let resource = config_address_tail(key);
    resource.split('.').next().unwrap_or(resource)
}

/// The `type.name` part of an address, without modules or instance keys.
fn config_address_tail(address: &str) -> &str {
    let prefix = crate::config::module_instance_prefix(address);
    &address[prefix.len()..]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures(pairs: &[(&str, f64)]) -> Figures {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn address_wins_over_type_key_by_key() {
        let mut usage = BTreeMap::new();
        usage.insert(
            "aws_lambda_function".into(),
            figures(&[("requests", 1.0), ("request_duration_ms", 100.0)]),
        );
        usage.insert(
            "aws_lambda_function.api".into(),
            figures(&[("requests", 5.0)]),
        );
        let table = UsageTable::new(usage);
        let api = table.for_resource("aws_lambda_function", "aws_lambda_function.api");
        assert_eq!(api.get("requests"), Some(5.0));
        assert_eq!(api.get("request_duration_ms"), Some(100.0));
        let counted = table.for_resource("aws_lambda_function", "aws_lambda_function.api[2]");
        assert_eq!(counted.get("requests"), Some(5.0));
        let other = table.for_resource("aws_lambda_function", "aws_lambda_function.other");
        assert_eq!(other.get("requests"), Some(1.0));
        assert_eq!(other.get("missing"), None);
    }

    #[test]
    fn names_the_type_of_a_key() {
        assert_eq!(type_of_key("aws_nat_gateway"), "aws_nat_gateway");
        assert_eq!(
            type_of_key(r#"module.a["x"].aws_instance.web[0]"#),
            "aws_instance"
        );
    }
}
