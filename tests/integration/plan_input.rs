//! Bad plan input gets a diagnostic that names the file and the fix, exit 3,
//! and no half-written report.

use std::path::Path;

use crate::support::{stderr, tfwarden};

/// Runs `check` on `path` with `--output` and returns (exit code, stderr);
/// asserts the report file was not created.
fn reject(path: &Path) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.json");
    let o = tfwarden(
        &[
            "check",
            "--plan",
            path.to_str().unwrap(),
            "--no-builtins",
            "--output",
            out.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert!(!out.exists(), "no report is written for bad input");
    (o.status.code().unwrap(), stderr(&o))
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn each_kind_of_bad_input_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cases: Vec<(std::path::PathBuf, &[&str])> = vec![
        (write(d, "empty.json", b""), &["empty.json is empty", "terraform show -json"]),
        (write(d, "text.json", b"Plan: 1 to add"), &["text.json:1:1", "not JSON"]),
        (
            write(d, "cut.json", br#"{"format_version":"1.2","resource_changes":[{"address":"#),
            &["cut.json:1:", "cut off"],
        ),
        (
            write(d, "state.json", br#"{"version":4,"serial":1,"lineage":"x","resources":[]}"#),
            &["a Terraform state file, not a plan", "terraform plan -out"],
        ),
        (
            write(d, "shown.json", br#"{"format_version":"1.0","values":{"root_module":{}}}"#),
            &["`terraform show -json` of state"],
        ),
        (write(d, "other.json", br#"{"name":"package.json"}"#), &["other.json is a JSON object, not a plan"]),
        (write(d, "latin1.json", b"{\"a\":\"caf\xe9\"}"), &["not valid UTF-8 (at byte 9)"]),
        (
            write(d, "badaction.json", br#"{"format_version":"1.2","resource_changes":[{"address":"a.b","type":"a","name":"b","change":{"actions":["explode"]}}]}"#),
            &["badaction.json:1:", "unknown variant `explode`"],
        ),
        (d.to_path_buf(), &["is a directory"]),
        (d.join("missing.json"), &["missing.json: no such file"]),
    ];
    for (path, expected) in cases {
        let (code, err) = reject(&path);
        assert_eq!(code, 3, "{}: {err}", path.display());
        for e in expected {
            assert!(
                err.contains(e),
                "{}: expected {e:?} in:\n{err}",
                path.display()
            );
        }
    }
}

#[test]
fn unreadable_files_are_named() {
    let dir = tempfile::tempdir().unwrap();
    // A socket cannot be opened as a file, even by root.
    let path = dir.path().join("plan.sock");
    let _listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
    let (code, err) = reject(&path);
    assert_eq!(code, 3);
    assert!(err.contains("plan.sock could not be read"), "{err}");
}

#[test]
fn utf16_from_powershell_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let text = r#"{"format_version":"1.2","resource_changes":[]}"#;
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let path = write(dir.path(), "ps.json", &bytes);
    let o = tfwarden(
        &["check", "--plan", path.to_str().unwrap(), "--no-builtins"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn binary_plans_without_terraform_say_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "plan.tfplan", b"PK\x03\x04rest-of-zip");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_tfwarden"))
        .args(["check", "--plan", path.to_str().unwrap(), "--no-builtins"])
        .env("PATH", "")
        .env("TFWARDEN_CACHE_DIR", dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3));
    let err = stderr(&o);
    assert!(
        err.contains("`terraform` is not on PATH") && err.contains("terraform show -json"),
        "{err}"
    );
}

#[test]
fn huge_plans_are_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "big.json", &vec![b' '; 4096]);
    let o = tfwarden(
        &[
            "check",
            "--plan",
            path.to_str().unwrap(),
            "--no-builtins",
            "--max-plan-bytes",
            "1000",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o).contains("over the limit of 1000 bytes"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let o = tfwarden(&["check", "--plna", "x"], dir.path());
    assert_eq!(o.status.code(), Some(2));
}
