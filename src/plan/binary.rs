//! Binary plan files (`terraform plan -out`) are zip archives; they are turned
//! into JSON by the `terraform` binary itself, the only thing that can read them.

use std::path::Path;
use std::process::Command;

use super::PlanError;

/// True for the zip container that `terraform plan -out` writes.
pub fn is_binary_plan(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// Runs `terraform show -json <path>` in `workdir` (or the plan's folder).
pub fn show_json(path: &str, workdir: Option<&Path>) -> Result<Vec<u8>, PlanError> {
    let plan = std::fs::canonicalize(path).map_err(|e| PlanError::Unreadable {
        path: path.to_owned(),
        reason: e.to_string(),
    })?;
    let dir = workdir
        .map(Path::to_path_buf)
        .or_else(|| plan.parent().map(Path::to_path_buf));
    let mut cmd = Command::new("terraform");
    cmd.args(["show", "-json", "-no-color"]).arg(&plan);
    if let Some(dir) = dir {
        cmd.current_dir(dir);
    }
    let output = cmd.output().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => PlanError::TerraformMissing {
            path: path.to_owned(),
        },
        _ => PlanError::TerraformFailed {
            path: path.to_owned(),
            stderr: e.to_string(),
        },
    })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr).trim().to_owned();
        return Err(PlanError::TerraformFailed {
            path: path.to_owned(),
            stderr,
        });
    }
    Ok(output.stdout)
}
