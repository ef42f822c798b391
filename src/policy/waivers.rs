//! Waivers: explicit, reasoned, expiring exceptions. Each one is applied,
//! expired (no longer honoured) or stale (matches nothing); all are reported.

use serde::Serialize;

use super::config::Waiver;
use tfwarden_sdk::glob;

/// How a waiver fared in this run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WaiverState {
    /// It waived at least one finding.
    Applied,
    /// Its expiry date has passed; findings it would match are not waived.
    Expired,
    /// It matched no finding: remove it or fix its pattern.
    Stale,
}

/// A waiver and what it did, for the report.
#[derive(Debug, Clone, Serialize)]
pub struct WaiverReport {
    pub rule: String,
    pub address: String,
    pub reason: String,
    pub owner: Option<String>,
    pub expires: Option<String>,
    /// `path/to/tfwarden.toml`, or `file.tf:line` for inline waivers.
    pub source: String,
    pub state: WaiverState,
    /// How many findings it waived (or would have, if expired).
    pub matched: usize,
}

/// The waivers in force and their bookkeeping.
pub struct Waivers {
    entries: Vec<(Waiver, bool, usize)>,
}

impl Waivers {
    /// `today` is `YYYY-MM-DD`; waivers whose `expires` is before it are expired.
    pub fn new(waivers: &[Waiver], today: &str) -> Self {
        let entries = waivers
            .iter()
            .map(|w| {
                let expired = w
                    .config
                    .expires
                    .as_ref()
                    .is_some_and(|d| d.to_string().as_str() < today);
                (w.clone(), expired, 0)
            })
            .collect();
        Waivers { entries }
    }

    /// The reason of the first live waiver covering this finding, if any.
    pub fn waive(&mut self, rule: &str, address: &str) -> Option<String> {
        let mut reason = None;
        for (w, expired, matched) in &mut self.entries {
            let c = &w.config;
            let rule_matches =
                c.rule.get_ref() == "*" || c.rule.get_ref().eq_ignore_ascii_case(rule);
            let address_matches = match w.inline_line {
                Some(_) => {
                    crate::source::declared(address).is_some_and(|d| d.address() == c.address)
                }
                None => glob::matches(&c.address, address),
            };
            if rule_matches && address_matches {
                *matched += 1;
                if !*expired && reason.is_none() {
                    reason = c.reason.as_ref().map(|r| r.get_ref().clone());
                }
            }
        }
        reason
    }

    /// What every waiver did.
    pub fn report(self) -> Vec<WaiverReport> {
        self.entries
            .into_iter()
            .map(|(w, expired, matched)| WaiverReport {
                rule: w.config.rule.get_ref().clone(),
                address: w.config.address.clone(),
                reason: w
                    .config
                    .reason
                    .as_ref()
                    .map(|r| r.get_ref().clone())
                    .unwrap_or_default(),
                owner: w.config.owner.clone(),
                expires: w.config.expires.as_ref().map(ToString::to_string),
                source: match w.inline_line {
                    Some(line) => format!("{}:{line}", w.origin.path.display()),
                    None => w.origin.path.display().to_string(),
                },
                state: if expired {
                    WaiverState::Expired
                } else if matched == 0 {
                    WaiverState::Stale
                } else {
                    WaiverState::Applied
                },
                matched,
            })
            .collect()
    }
}

/// Today's date in UTC as `YYYY-MM-DD`.
pub fn today() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64;
    civil_date(days)
}

/// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's algorithm).
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(19_723), "2024-01-01");
        assert_eq!(civil_date(20_414), "2025-11-22");
        assert_eq!(civil_date(11_016), "2000-02-29");
    }
}
