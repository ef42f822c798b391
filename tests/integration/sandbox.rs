//! The sandbox holds against hostile plugins: each is stopped, named, and
//! never stops the other plugins' findings from appearing.

use std::time::{Duration, Instant};

use tfwarden::engine::{self, PluginSpec};
use tfwarden::runtime::{Cache, Limits, PluginError, Runtime};
use tfwarden_sdk::plan::PlanFile;

use crate::support::{change, guest, plan_json};

fn runtime() -> Runtime {
    Runtime::new(Cache::new(None)).unwrap()
}

fn hostile(mode: &str, limits: Limits) -> PluginSpec {
    PluginSpec {
        name: format!("hostile-{mode}"),
        wasm: guest("tfwarden-guest-hostile").into(),
        settings: format!(r#"{{"mode":"{mode}","count":1000}}"#),
        limits,
    }
}

fn short() -> Limits {
    Limits {
        deadline: Duration::from_millis(300),
        memory: 64 << 20,
    }
}

/// Loads and checks `specs` on a one-resource plan, like `tfwarden check` does.
fn run(specs: &[PluginSpec]) -> Vec<Result<engine::PluginRun, PluginError>> {
    let text = plan_json(&[&change(
        "aws_s3_bucket.b",
        r#"["create"]"#,
        r#"{"bucket":"b"}"#,
    )]);
    let plan: PlanFile = serde_json::from_str(&text).unwrap();
    let rt = runtime();
    let mut out = Vec::new();
    let mut loaded = Vec::new();
    for result in engine::load_all(&rt, specs) {
        match result {
            Ok(l) => loaded.push(l),
            Err(e) => out.push(Err(e)),
        }
    }
    out.extend(engine::check_all(loaded, &plan, "test").into_iter().map(Ok));
    out
}

fn check_error(spec: PluginSpec) -> PluginError {
    let mut results = run(&[spec]);
    match results.pop().unwrap() {
        Ok(run) => run.result.expect_err("the hostile plugin must fail"),
        Err(e) => e,
    }
}

#[test]
fn infinite_loop_is_stopped_at_its_deadline() {
    let started = Instant::now();
    let err = check_error(hostile("loop", short()));
    assert!(
        matches!(err, PluginError::Deadline { phase: "check", .. }),
        "{err}"
    );
    assert!(
        err.to_string().contains("hostile-loop") && err.to_string().contains("deadline of 0.3 s"),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn unbounded_allocation_is_stopped_at_its_cap() {
    let err = check_error(hostile("alloc", short()));
    assert!(
        matches!(err, PluginError::Memory { limit, .. } if limit == 64 << 20),
        "{err}"
    );
    assert!(err.to_string().contains("memory cap of 64 MiB"), "{err}");
}

#[test]
fn hanging_validate_settings_is_stopped() {
    let err = check_error(hostile("hang-in-validate", short()));
    assert!(
        matches!(
            err,
            PluginError::Deadline {
                phase: "validate-settings",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn panics_and_traps_are_reported_by_name_with_the_panic_message() {
    let err = check_error(hostile("panic", short()));
    let PluginError::Crashed { plugin, detail, .. } = &err else {
        panic!("{err}")
    };
    assert_eq!(plugin, "hostile-panic");
    assert!(
        detail.contains("hostile plugin panicked on purpose"),
        "{detail}"
    );
    assert!(matches!(
        check_error(hostile("trap", short())),
        PluginError::Crashed { .. }
    ));
}

#[test]
fn invalid_settings_fail_at_load_with_the_plugins_message() {
    let err = check_error(hostile("bogus", short()));
    assert_eq!(
        err,
        PluginError::InvalidSettings {
            plugin: "hostile-bogus".into(),
            message: "unknown mode `bogus`".into()
        }
    );
    let mut typo = hostile("ok", short());
    typo.settings = r#"{"mood":"ok"}"#.into();
    let PluginError::InvalidSettings { message, .. } = check_error(typo) else {
        panic!()
    };
    assert!(message.contains("unknown field `mood`"), "{message}");
}

#[test]
fn a_failing_plugin_does_not_hide_the_others() {
    let results = run(&[
        hostile("panic", short()),
        hostile("ok", short()),
        hostile("loop", short()),
    ]);
    let ok: Vec<_> = results
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .filter_map(|r| r.result.as_ref().ok())
        .collect();

    assert_eq!(ok.len(), 1);
    assert_eq!(ok[0].findings.len(), 1);
    assert_eq!(ok[0].findings[0].address, "aws_s3_bucket.b");
}

#[test]
fn no_file_environment_network_or_clock_reaches_a_plugin() {
    let results = run(&[hostile("escape", short())]);
    let output = results.into_iter().next().unwrap().unwrap().result.unwrap();
    let seen: Vec<&str> = output.findings.iter().map(|f| f.message.as_str()).collect();
    let got = |what: &str| {
        seen.iter()
            .find(|m| m.starts_with(&format!("{what}: ")))
            .copied()
            .unwrap()
    };
    assert!(got("file").starts_with("file: Err("), "{seen:?}");
    assert!(got("dir").starts_with("dir: Err("), "{seen:?}");
    assert_eq!(got("env"), "env: []");
    assert_eq!(got("args"), "args: []");
    assert!(got("net").starts_with("net: Err("), "{seen:?}");
    assert!(got("dns").starts_with("dns: Err("), "{seen:?}");
    assert_eq!(got("clock"), "clock: Ok(0)");
}

#[test]
fn findings_are_capped_and_messages_truncated() {
    let mut many = hostile("many-findings", Limits::default());
    many.settings = r#"{"mode":"many-findings","count":100005}"#.into();
    let mut huge = hostile("huge-message", Limits::default());
    huge.settings = r#"{"mode":"huge-message","count":1000000}"#.into();
    let results = run(&[many, huge]);
    let outputs: Vec<_> = results
        .into_iter()
        .map(|r| r.unwrap().result.unwrap())
        .collect();
    assert_eq!(outputs[0].findings.len(), tfwarden::runtime::MAX_FINDINGS);
    assert_eq!(outputs[0].dropped, 5);
    assert!(outputs[1].findings[0].message.len() < tfwarden::runtime::MAX_MESSAGE + 32);
}

#[test]
fn a_million_findings_are_refused_not_obeyed() {
    let mut many = hostile("many-findings", Limits::default());
    many.settings = r#"{"mode":"many-findings","count":1000000}"#.into();
    let err = run(&[many]).pop().unwrap().unwrap().result.unwrap_err();
    let PluginError::Crashed { plugin, detail, .. } = &err else {
        panic!("{err}")
    };
    assert_eq!(plugin, "hostile-many-findings");
    assert!(
        detail.contains("returned more data than the host accepts"),
        "{detail}"
    );
}

#[test]
fn invalid_utf8_from_a_plugin_is_refused() {
    let err = check_error(hostile("bad-utf8", short()));
    let PluginError::Crashed {
        plugin,
        phase,
        detail,
    } = &err
    else {
        panic!("{err}")
    };
    assert_eq!((plugin.as_str(), *phase), ("hostile-bad-utf8", "check"));
    assert!(detail.to_lowercase().contains("utf-8"), "{detail}");
}

#[test]
fn a_plugin_built_for_another_contract_version_is_refused_by_version() {
    let err = runtime()
        .load("future", &guest("tfwarden-guest-future-contract"))
        .err()
        .unwrap();
    let PluginError::Incompatible { expected, .. } = &err else {
        panic!("{err}")
    };
    assert_eq!(*expected, "tfwarden:policy@0.1.0");
    assert!(
        err.to_string().contains(
            "plugin `future` was built for another plugin contract than tfwarden:policy@0.1.0"
        ),
        "{err}"
    );
}

#[test]
fn a_non_component_is_refused_clearly() {
    let err = runtime().load("junk", b"\0asm\x01\0\0\0").err().unwrap();
    assert!(matches!(err, PluginError::Invalid { .. }), "{err}");
    let err = runtime().load("text", b"hello").err().unwrap();
    assert!(
        err.to_string()
            .contains("plugin `text` is not a valid WebAssembly component"),
        "{err}"
    );
}

#[test]
fn compiled_plugins_are_cached_on_disk_and_reused() {
    let dir = tempfile::tempdir().unwrap();
    let wasm = guest("owner-tag-policy");
    let artifacts = || -> Vec<(std::path::PathBuf, std::time::SystemTime)> {
        let mut v: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (e.path(), e.metadata().unwrap().modified().unwrap())
            })
            .collect();
        v.sort();
        v
    };
    Runtime::new(Cache::new(Some(dir.path().to_owned())))
        .unwrap()
        .load("owner-tag", &wasm)
        .unwrap();
    let first = artifacts();
    assert_eq!(first.len(), 1, "one compiled artifact");
    assert!(first[0].0.extension().is_some_and(|e| e == "cwasm"));
    // A second runtime loads the artifact instead of compiling and rewriting it.
    Runtime::new(Cache::new(Some(dir.path().to_owned())))
        .unwrap()
        .load("owner-tag", &wasm)
        .unwrap();
    assert_eq!(artifacts(), first);
}
