//! Maps a resource address to the `file:line` of its block in the `.tf`
//! sources, so every report can point a reviewer at the code to change: the
//! root module in `--dir`, local modules through the plan's `configuration`,
//! and `count` / `for_each` instances onto their one block. Resources in
//! remote modules point at the `module` block that calls them.

mod address;
mod inline;
mod modules;
mod tf_file;
mod warning;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use hcl::edit::Span as _;
use hcl::edit::structure::Block;
use serde_json::value::RawValue;

use crate::policy::config::{ConfigError, Origin, Waiver, WaiverConfig};
use crate::report::Location;
pub use address::{Declared, declared};
use tf_file::TfFile;
use toml::Spanned;
pub use warning::SourceWarning;

/// The resource, data and module blocks of a configuration, by module path.
#[derive(Default)]
pub struct SourceMap {
    files: Vec<TfFile>,
    /// (module path joined with `.`, block key such as `aws_s3_bucket.b`,
    /// `data.aws_ami.x` or `module.net`) → (index into `files`, the block).
    blocks: HashMap<(String, String), (usize, Block)>,
}

impl SourceMap {
    /// Reads the root module in `dir` and every local module the plan's
    /// `configuration` calls. Files that cannot be read or parsed are
    /// skipped with a warning: placing findings must never stop a check.
    pub fn load(dir: &Path, configuration: Option<&RawValue>) -> (SourceMap, Vec<SourceWarning>) {
        let mut map = SourceMap::default();
        let mut warnings = Vec::new();
        let shown = Shown::new(dir);
        // Two calls of one module share its files: parse them once.
        let mut parsed: HashMap<PathBuf, Vec<usize>> = HashMap::new();
        for module in modules::local_modules(dir, configuration) {
            let files = parsed.entry(module.dir.clone()).or_insert_with(|| {
                let mut indices = Vec::new();
                for path in tf_files(&module.dir, &mut warnings) {
                    match read(&path, shown.name(&path)) {
                        Ok(file) => {
                            indices.push(map.files.len());
                            map.files.push(file);
                        }
                        Err(w) => warnings.push(*w),
                    }
                }
                indices
            });
            let key = module.path.join(".");
            for &index in files.iter() {
                for block in map.files[index].body.blocks() {
                    if let Some(name) = block_key(block) {
                        map.blocks
                            .entry((key.clone(), name))
                            .or_insert_with(|| (index, block.clone()));
                    }
                }
            }
        }
        (map, warnings)
    }

    /// Where the resource at `address` is declared, with `line` at the
    /// attribute `path` when it is written out in the block.
    pub fn locate(&self, address: &str, path: &str) -> Option<Location> {
        let Declared { modules, block } = declared(address)?;
        if !block.is_empty()
            && let Some(found) = self.blocks.get(&(modules.join("."), block))
        {
            return Some(self.location(found, path));
        }
        // Not in the repository (a remote module, or a file that did not
        // parse): the innermost module call that is.
        (1..=modules.len()).rev().find_map(|depth| {
            let caller = modules[..depth - 1].join(".");
            let call = format!("module.{}", modules[depth - 1]);
            let found = self.blocks.get(&(caller, call))?;
            Some(self.location(found, ""))
        })
    }

    fn location(&self, (index, block): &(usize, Block), path: &str) -> Location {
        let file = &self.files[*index];
        let span = block.span().unwrap_or_default();
        let (start_line, end_line) = file.lines_of(&span);
        let line =
            tf_file::path_span(block, path).map_or(start_line, |attr| file.line_of(attr.start));
        Location {
            file: file.display.clone(),
            line,
            start_line,
            end_line,
        }
    }
}

impl SourceMap {
    /// The waivers written as `# tfwarden:ignore RULE reason` comments on or
    /// above resource and data blocks. A directive without a reason is an error.
    pub fn inline_waivers(&self) -> Result<Vec<Waiver>, ConfigError> {
        let mut entries: Vec<_> = self.blocks.iter().collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        let mut waivers = Vec::new();
        for ((modules, key), (index, block)) in entries {
            if key.starts_with("module.") {
                continue;
            }
            let file = &self.files[*index];
            let Some(span) = block.span() else { continue };
            let origin = Origin {
                path: PathBuf::from(&file.display),
                text: file.text.as_str().into(),
            };
            let declared = Declared {
                modules: if modules.is_empty() {
                    Vec::new()
                } else {
                    modules.split('.').map(str::to_owned).collect()
                },
                block: key.clone(),
            };
            for d in inline::directives(&file.text, span.start) {
                if d.reason.is_empty() {
                    return Err(ConfigError::at(
                        &origin,
                        Some(d.span.clone().into()),
                        format!(
                            "the inline waiver for `{}` on `{}` has no reason",
                            d.rule,
                            declared.address()
                        ),
                        format!(
                            "write `# tfwarden:ignore {} <why this is acceptable>`",
                            d.rule
                        ),
                    ));
                }
                waivers.push(Waiver {
                    config: WaiverConfig {
                        rule: Spanned::new(d.span.clone(), d.rule),
                        address: declared.address(),
                        reason: Some(Spanned::new(d.span.clone(), d.reason)),
                        owner: None,
                        expires: None,
                    },
                    origin: origin.clone(),
                    inline_line: Some(d.line),
                });
            }
        }
        Ok(waivers)
    }
}

/// `resource "t" "n"` → `t.n`, `data "t" "n"` → `data.t.n`, `module "n"` → `module.n`.
fn block_key(block: &Block) -> Option<String> {
    let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
    match (block.ident.as_str(), labels.as_slice()) {
        ("resource", [kind, name]) => Some(format!("{kind}.{name}")),
        ("data", [kind, name]) => Some(format!("data.{kind}.{name}")),
        ("module", [name]) => Some(format!("module.{name}")),
        _ => None,
    }
}

/// The `*.tf` files of one module directory, sorted so the first declaration
/// of a duplicated block is the same on every machine.
fn tf_files(dir: &Path, warnings: &mut Vec<SourceWarning>) -> Vec<PathBuf> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            warnings.push(SourceWarning::unreadable(dir, &e));
            return Vec::new();
        }
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "tf") && p.is_file())
        .collect();
    files.sort();
    files
}

fn read(path: &Path, display: String) -> Result<TfFile, Box<SourceWarning>> {
    let text =
        std::fs::read_to_string(path).map_err(|e| Box::new(SourceWarning::unreadable(path, &e)))?;
    TfFile::parse(display.clone(), &text)
        .map_err(|e| Box::new(SourceWarning::parse(display, text, &e)))
}

/// How file names are shown: relative to the repository root (the nearest
/// parent with `.git`), which is what GitHub and SARIF viewers expect;
/// outside a repository, as reached from the working directory.
struct Shown {
    root: Option<PathBuf>,
}

impl Shown {
    fn new(dir: &Path) -> Shown {
        let root = dir.canonicalize().ok().and_then(|dir| {
            dir.ancestors()
                .find(|d| d.join(".git").exists())
                .map(Path::to_path_buf)
        });
        Shown { root }
    }

    fn name(&self, path: &Path) -> String {
        let relative = self.root.as_ref().and_then(|root| {
            let full = path.canonicalize().ok()?;
            Some(full.strip_prefix(root).ok()?.to_path_buf())
        });
        let shown = relative.unwrap_or_else(|| path.to_path_buf());
        let parts: Vec<String> = shown
            .components()
            .filter(|c| !matches!(c, std::path::Component::CurDir))
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        parts.join("/")
    }
}
