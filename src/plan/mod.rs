//! Loads a plan: reads the file (or stdin), converts binary plans through
//! `terraform show -json`, decodes UTF-8 or UTF-16, parses once into borrowed
//! typed structs, and refuses documents that are not plans.

mod binary;
mod error;

use std::io::Read;
use std::path::Path;

pub use error::PlanError;
use tfwarden_sdk::plan::PlanFile;
use tfwarden_sdk::redact::sensitive_leaves;

/// Plans larger than this are refused unless the limit is raised: checking
/// takes about twice a plan's size in memory, and real plans stay far below
/// (a 50,000-resource plan is about 230 MB).
pub const DEFAULT_MAX_BYTES: u64 = 768 << 20;

/// The text of a plan and the name to show for it.
#[derive(Debug)]
pub struct PlanSource {
    pub name: String,
    pub text: String,
}

impl PlanSource {
    /// Reads `path` (`-` for stdin). Binary plan files are converted with
    /// `terraform show -json`, run in `workdir` when given.
    pub fn read(path: &str, workdir: Option<&Path>, max_bytes: u64) -> Result<Self, PlanError> {
        let bytes = if path == "-" {
            read_limited(std::io::stdin().lock(), "<stdin>", max_bytes)?
        } else {
            read_file(path, max_bytes)?
        };
        let name = if path == "-" {
            "<stdin>".to_owned()
        } else {
            path.to_owned()
        };
        let bytes = if binary::is_binary_plan(&bytes) {
            binary::show_json(path, workdir)?
        } else {
            bytes
        };
        Self::from_bytes(name, bytes)
    }

    /// A plan from bytes already in memory (UTF-8, or UTF-16 with a BOM).
    pub fn from_bytes(name: String, bytes: Vec<u8>) -> Result<Self, PlanError> {
        Ok(PlanSource {
            text: decode(&name, bytes)?,
            name,
        })
    }

    /// Parses the text into the typed plan, and checks that it is one.
    pub fn parse(&self) -> Result<PlanFile<'_>, PlanError> {
        let path = &self.name;
        if self.text.trim().is_empty() {
            return Err(PlanError::Empty { path: path.clone() });
        }
        let plan: PlanFile = serde_json::from_str(&self.text).map_err(|e| {
            if e.classify() == serde_json::error::Category::Data
                && !self.text.trim_start().starts_with('{')
            {
                not_a_plan(path, "JSON but not an object")
            } else {
                PlanError::at(path, &self.text, &e)
            }
        })?;
        classify(path, &plan)?;
        Ok(plan)
    }
}

/// Refuses state files and other JSON documents with a message that says what they are.
fn classify(path: &str, plan: &PlanFile<'_>) -> Result<(), PlanError> {
    let looks_like_plan = plan.resource_changes.is_some()
        || plan.planned_values.is_some()
        || plan.output_changes.is_some()
        || (plan.format_version.is_some() && plan.configuration.is_some());
    if looks_like_plan {
        return Ok(());
    }
    Err(if plan.lineage.is_some() || plan.resources.is_some() {
        not_a_plan(path, "a Terraform state file")
    } else if plan.values.is_some() {
        not_a_plan(path, "a `terraform show -json` of state")
    } else {
        not_a_plan(path, "a JSON object")
    })
}

fn not_a_plan(path: &str, what: &'static str) -> PlanError {
    let help = match what {
        "a Terraform state file" | "a `terraform show -json` of state" => {
            "tfwarden checks plans, not state: run `terraform plan -out plan.tfplan`, then `terraform show -json plan.tfplan > plan.json`"
        }
        _ => {
            "pass the output of `terraform show -json plan.tfplan`; it has `format_version` and `resource_changes`"
        }
    };
    PlanError::NotAPlan {
        path: path.to_owned(),
        what,
        help,
    }
}

fn read_file(path: &str, max_bytes: u64) -> Result<Vec<u8>, PlanError> {
    let meta = std::fs::metadata(path).map_err(|e| io_error(path, &e))?;
    if meta.is_dir() {
        return Err(PlanError::Directory {
            path: path.to_owned(),
        });
    }
    if meta.len() > max_bytes {
        return Err(PlanError::TooLarge {
            path: path.to_owned(),
            size: meta.len(),
            limit: max_bytes,
        });
    }
    let file = std::fs::File::open(path).map_err(|e| io_error(path, &e))?;
    read_limited(file, path, max_bytes)
}

/// Reads at most `max_bytes`, so a stream that never ends cannot exhaust memory.
fn read_limited(reader: impl Read, path: &str, max_bytes: u64) -> Result<Vec<u8>, PlanError> {
    let mut bytes = Vec::new();
    reader
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(path, &e))?;
    if bytes.len() as u64 > max_bytes {
        return Err(PlanError::TooLarge {
            path: path.to_owned(),
            size: bytes.len() as u64,
            limit: max_bytes,
        });
    }
    Ok(bytes)
}

fn io_error(path: &str, e: &std::io::Error) -> PlanError {
    match e.kind() {
        std::io::ErrorKind::NotFound => PlanError::NotFound {
            path: path.to_owned(),
        },
        std::io::ErrorKind::IsADirectory => PlanError::Directory {
            path: path.to_owned(),
        },
        _ => PlanError::Unreadable {
            path: path.to_owned(),
            reason: e.to_string(),
        },
    }
}

/// UTF-8 (with or without a BOM), or UTF-16 with a BOM as Windows PowerShell's
/// `>` writes it.
fn decode(path: &str, bytes: Vec<u8>) -> Result<String, PlanError> {
    let utf16 = |be: bool| {
        let units = bytes[2..].chunks(2).map(|c| {
            let pair = [c[0], *c.get(1).unwrap_or(&0)];
            if be {
                u16::from_be_bytes(pair)
            } else {
                u16::from_le_bytes(pair)
            }
        });
        char::decode_utf16(units)
            .enumerate()
            .map(|(i, c)| {
                c.map_err(|_| PlanError::NotUtf8 {
                    path: path.to_owned(),
                    offset: 2 + 2 * i,
                })
            })
            .collect::<Result<String, _>>()
    };
    match bytes.as_slice() {
        [0xFF, 0xFE, ..] => utf16(false),
        [0xFE, 0xFF, ..] => utf16(true),
        [0xEF, 0xBB, 0xBF, ..] => {
            String::from_utf8(bytes[3..].to_vec()).map_err(|e| PlanError::NotUtf8 {
                path: path.to_owned(),
                offset: 3 + e.utf8_error().valid_up_to(),
            })
        }
        _ => String::from_utf8(bytes).map_err(|e| PlanError::NotUtf8 {
            path: path.to_owned(),
            offset: e.utf8_error().valid_up_to(),
        }),
    }
}

/// Every sensitive value in the plan, so output can be scrubbed of them even
/// if a plugin found a way to echo one.
pub fn sensitive_values(plan: &PlanFile<'_>) -> Vec<String> {
    let mut out = Vec::new();
    for rc in plan.resource_changes.iter().flatten() {
        let c = &rc.change;
        if let Some(before) = c.before {
            sensitive_leaves(before, c.before_sensitive, &mut out);
        }
        if let Some(after) = c.after {
            sensitive_leaves(after, c.after_sensitive, &mut out);
        }
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_err(text: &str) -> PlanError {
        let source = PlanSource {
            name: "p.json".into(),
            text: text.into(),
        };
        source.parse().unwrap_err()
    }

    #[test]
    fn decodes_utf16_and_bom() {
        let text = r#"{"format_version":"1.2"}"#;
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode("p", le).unwrap(), text);
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode("p", be).unwrap(), text);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend(text.as_bytes());
        assert_eq!(decode("p", bom).unwrap(), text);
        assert!(matches!(
            decode("p", vec![b'{', 0xC3, 0x28]),
            Err(PlanError::NotUtf8 { offset: 1, .. })
        ));
    }

    #[test]
    fn says_what_a_non_plan_is() {
        let what = |text: &str| match parse_err(text) {
            PlanError::NotAPlan { what, .. } => what,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            what(r#"{"version":4,"serial":3,"lineage":"x","resources":[]}"#),
            "a Terraform state file"
        );
        assert_eq!(
            what(r#"{"format_version":"1.0","values":{"root_module":{}}}"#),
            "a `terraform show -json` of state"
        );
        assert_eq!(what(r#"{"hello":"world"}"#), "a JSON object");
        assert_eq!(what(r#"[1,2]"#), "JSON but not an object");
    }

    #[test]
    fn syntax_errors_point_into_long_lines() {
        let long = format!(
            r#"{{"format_version":"1.2","planned_values":{{"a":"{}" oops}}}}"#,
            "x".repeat(5000)
        );
        match parse_err(&long) {
            PlanError::Syntax(e) => {
                assert_eq!((e.line, e.column), (1, 5050));
                let window = miette::SourceCode::read_span(&e.snippet, &e.span, 0, 0).unwrap();
                assert_eq!(std::str::from_utf8(window.data()).unwrap(), "o");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            parse_err(r#"{"format_version":"1.2","resource_changes":["#),
            PlanError::Syntax(_)
        ));
        assert!(matches!(parse_err("  \n"), PlanError::Empty { .. }));
    }
}
