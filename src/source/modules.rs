//! Which directory holds each module's sources, read from the plan's
//! `configuration` section: only local sources (`./`, `../`) live in the
//! repository; registry and git modules have no file a reviewer could change.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::value::RawValue;

/// A module call whose sources are in the repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleDir {
    /// The module calls from the root, such as `["network", "subnets"]`.
    pub path: Vec<String>,
    pub dir: PathBuf,
}

#[derive(Deserialize)]
struct Configuration {
    #[serde(default)]
    root_module: ModuleConfig,
}

#[derive(Deserialize, Default)]
struct ModuleConfig {
    #[serde(default)]
    module_calls: BTreeMap<String, ModuleCall>,
}

#[derive(Deserialize)]
struct ModuleCall {
    #[serde(default)]
    source: String,
    #[serde(default)]
    module: ModuleConfig,
}

/// Every module with local sources, the root (`path` empty, `dir` = `root`)
/// first. A configuration that does not parse yields the root alone.
pub fn local_modules(root: &Path, configuration: Option<&RawValue>) -> Vec<ModuleDir> {
    let mut out = vec![ModuleDir {
        path: Vec::new(),
        dir: root.to_owned(),
    }];
    let config = configuration.and_then(|c| serde_json::from_str::<Configuration>(c.get()).ok());
    if let Some(config) = config {
        walk(&config.root_module, &[], root, &mut out);
    }
    out
}

fn walk(module: &ModuleConfig, path: &[String], dir: &Path, out: &mut Vec<ModuleDir>) {
    for (name, call) in &module.module_calls {
        let Some(source) = local_source(&call.source) else {
            continue;
        };
        let mut path = path.to_vec();
        path.push(name.clone());
        let dir = normalise(&dir.join(source));
        walk(&call.module, &path, &dir, out);
        out.push(ModuleDir { path, dir });
    }
}

/// Terraform treats a source as a local path only when it starts with `./`
/// or `../` (Windows separators included).
fn local_source(source: &str) -> Option<&str> {
    let local = ["./", "../", ".\\", "..\\"]
        .iter()
        .any(|p| source.starts_with(p));
    local.then_some(source)
}

/// Removes `.` and resolves `..` lexically, so `env/prod/../../modules/x`
/// names the same directory as `modules/x` without touching the file system.
fn normalise(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_local_module_calls_only() {
        let config = r#"{"root_module":{"resources":[],"module_calls":{
            "net":{"source":"./modules/net","module":{"module_calls":{
                "subnets":{"source":"../subnets","module":{}},
                "vpc":{"source":"terraform-aws-modules/vpc/aws","module":{}}}}},
            "remote":{"source":"git::https://example.com/m.git","module":{}}}}}"#;
        let raw = RawValue::from_string(config.to_owned()).unwrap();
        let dirs = local_modules(Path::new("infra/prod"), Some(&raw));
        let pairs: Vec<(String, PathBuf)> = dirs
            .into_iter()
            .map(|m| (m.path.join("."), m.dir))
            .collect();
        assert_eq!(
            pairs,
            [
                (String::new(), PathBuf::from("infra/prod")),
                (
                    "net.subnets".into(),
                    PathBuf::from("infra/prod/modules/subnets")
                ),
                ("net".into(), PathBuf::from("infra/prod/modules/net")),
            ]
        );
    }

    #[test]
    fn normalises_parent_steps() {
        assert_eq!(
            normalise(Path::new("a/b/../../c/./d")),
            PathBuf::from("c/d")
        );
        assert_eq!(normalise(Path::new("./../x")), PathBuf::from("../x"));
        assert_eq!(normalise(Path::new("/a/../b")), PathBuf::from("/b"));
    }
}
