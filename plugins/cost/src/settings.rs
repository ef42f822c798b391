//! The plugin's settings: optional budgets, usage figures and default
//! regions, validated once at load so a typo fails before any check runs.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::glob::Pattern;
use crate::resources;
use crate::usage::{Figures, UsageTable, type_of_key};

/// What users write under the cost plugin in `tfwarden.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// COST001: the most the plan may add to the monthly bill, in USD.
    pub max_monthly_increase: Option<f64>,
    /// COST002: the most the plan may add, in percent of its current monthly cost.
    pub max_increase_percent: Option<f64>,
    /// COST003: the most any single resource may cost per month, in USD.
    pub max_resource_monthly: Option<f64>,
    /// COST004: instance types or SKUs that may not be created, as glob patterns.
    pub deny_instance_types: Vec<String>,
    /// Usage figures by resource type or address.
    pub usage: BTreeMap<String, Figures>,
    /// The region to price in when neither a resource nor its provider names one.
    /// Replaces the built-in defaults; `{}` turns the fallback off.
    pub default_regions: Option<BTreeMap<String, String>>,
}

/// The defaults used when `default_regions` is not set, per provider.
pub const DEFAULT_REGIONS: &[(&str, &str)] = &[
    ("aws", "us-east-1"),
    ("azurerm", "eastus"),
    ("google", "us-central1"),
];

/// Settings after validation, in the shapes the checks use.
#[derive(Debug, Default)]
pub struct Validated {
    pub max_monthly_increase: Option<f64>,
    pub max_increase_percent: Option<f64>,
    pub max_resource_monthly: Option<f64>,
    pub deny: Vec<Pattern>,
    pub usage: UsageTable,
    pub default_regions: BTreeMap<String, String>,
}

impl Settings {
    pub fn validate(self) -> Result<Validated, String> {
        let budget = |name: &str, value: Option<f64>| match value {
            Some(v) if !v.is_finite() || v < 0.0 => Err(format!(
                "`{name}` must be a number of at least 0, not {v}; remove it to turn the rule off"
            )),
            other => Ok(other),
        };
        let max_monthly_increase = budget("max_monthly_increase", self.max_monthly_increase)?;
        let max_increase_percent = budget("max_increase_percent", self.max_increase_percent)?;
        let max_resource_monthly = budget("max_resource_monthly", self.max_resource_monthly)?;
        let deny = self
            .deny_instance_types
            .iter()
            .map(|p| Pattern::new(p).map_err(|e| format!("`deny_instance_types`: {e}")))
            .collect::<Result<_, _>>()?;
        validate_usage(&self.usage)?;
        let default_regions = match self.default_regions {
            None => DEFAULT_REGIONS
                .iter()
                .map(|(p, r)| (p.to_string(), r.to_string()))
                .collect(),
            Some(map) => validate_default_regions(map)?,
        };
        Ok(Validated {
            max_monthly_increase,
            max_increase_percent,
            max_resource_monthly,
            deny,
            usage: UsageTable::new(self.usage),
            default_regions,
        })
    }
}

fn validate_usage(usage: &BTreeMap<String, Figures>) -> Result<(), String> {
    for (key, figures) in usage {
        let type_ = type_of_key(key);
        let Some(pricer) = resources::pricer(type_) else {
            return Err(format!(
                "`usage.\"{key}\"`: `{type_}` is not a resource type the cost plugin prices; \
                 use a type from plugins/cost/README.md or a resource address such as `{type_}.name`"
            ));
        };
        for (name, value) in figures {
            if !pricer.usage_keys.contains(&name.as_str()) {
                let known = if pricer.usage_keys.is_empty() {
                    "it takes no usage figures".to_string()
                } else {
                    format!("use one of: {}", pricer.usage_keys.join(", "))
                };
                return Err(format!(
                    "`usage.\"{key}\".{name}` is not a usage figure of `{type_}`; {known}"
                ));
            }
            if !value.is_finite() || *value < 0.0 {
                return Err(format!(
                    "`usage.\"{key}\".{name}` must be a number of at least 0, not {value}"
                ));
            }
        }
    }
    Ok(())
}

fn validate_default_regions(
    map: BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>, String> {
    for (provider, region) in &map {
        if !DEFAULT_REGIONS.iter().any(|(p, _)| p == provider) {
            return Err(format!(
                "`default_regions.{provider}`: unknown provider; use `aws`, `azurerm` or `google`"
            ));
        }
        if region.trim().is_empty() {
            return Err(format!(
                "`default_regions.{provider}` is empty; give a region such as `{}` or remove the entry",
                DEFAULT_REGIONS
                    .iter()
                    .find(|(p, _)| p == provider)
                    .map_or("", |(_, r)| r)
            ));
        }
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<Validated, String> {
        serde_json::from_str::<Settings>(json)
            .map_err(|e| e.to_string())?
            .validate()
    }

    #[test]
    fn defaults_are_documented_regions_and_no_budgets() {
        let v = parse("{}").unwrap();
        assert_eq!(
            v.default_regions.get("aws").map(String::as_str),
            Some("us-east-1")
        );
        assert!(v.max_monthly_increase.is_none() && v.deny.is_empty());
    }

    #[test]
    fn rejects_typos_with_the_setting_name_and_a_fix() {
        let e = parse(r#"{"max_monthly_incrase": 5}"#).unwrap_err();
        assert!(e.contains("max_monthly_incrase"), "{e}");
        let e = parse(r#"{"max_increase_percent": -1}"#).unwrap_err();
        assert!(
            e.contains("max_increase_percent") && e.contains("at least 0"),
            "{e}"
        );
        let e = parse(r#"{"usage": {"aws_nat_gateway": {"data_procesed_gb": 1}}}"#).unwrap_err();
        assert!(e.contains("data_processed_gb"), "{e}");
        let e = parse(r#"{"usage": {"aws_iam_role": {"x": 1}}}"#).unwrap_err();
        assert!(e.contains("aws_iam_role"), "{e}");
        let e = parse(r#"{"default_regions": {"gcp": "x"}}"#).unwrap_err();
        assert!(e.contains("google"), "{e}");
        let e = parse(r#"{"deny_instance_types": [""]}"#).unwrap_err();
        assert!(e.contains("deny_instance_types"), "{e}");
    }

    #[test]
    fn accepts_usage_by_address() {
        let v = parse(
            r#"{"usage": {"module.x.aws_lambda_function.api": {"monthly_requests": 1000000}}}"#,
        )
        .unwrap();
        let u = v
            .usage
            .for_resource("aws_lambda_function", "module.x.aws_lambda_function.api");
        assert_eq!(u.get("monthly_requests"), Some(1e6));
    }
}
