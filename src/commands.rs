//! The subcommands: glue between the CLI, the plan loader, the engine and the renderers.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use miette::{Context, Diagnostic, IntoDiagnostic, Result};
use thiserror::Error;

use crate::cli::{
    CheckArgs, CommentModeArg, ExplainArgs, Format, InitArgs, ListFormat, PluginArgs, Reporter,
    RulesArgs, TestArgs,
};
use crate::engine::{self, Loaded};
use crate::plan::PlanSource;
use crate::policy::config::{Config, ConfigError, Waiver};
use crate::policy::{Judgement, Override};
use crate::report;
use crate::report::github::{self, GithubError};
use crate::report::github_env::{CommentMode, GithubContext};
use crate::runtime::{Cache, PluginError, Runtime};
use crate::source::SourceMap;
use crate::{ci, pipeline, plugins, suggest};

/// Settings that plugins rejected; nothing is checked until they are fixed.
#[derive(Debug, Error, Diagnostic)]
#[error("{} plugin(s) rejected their settings:\n{}", errors.len(), errors.iter().map(|e| format!("  - {e}")).collect::<Vec<_>>().join("\n"))]
#[diagnostic(
    code(tfwarden::config::settings),
    help(
        "fix the plugin's `settings` in {config}; `tfwarden explain <RULE>` documents each plugin's rules"
    )
)]
pub struct SettingsRejected {
    errors: Vec<PluginError>,
    config: String,
}

#[derive(Debug, Error, Diagnostic)]
#[error("no rule `{rule}` in the enabled plugins")]
#[diagnostic(code(tfwarden::rules::unknown), help("{help}"))]
pub struct UnknownRule {
    rule: String,
    help: String,
}

/// `tfwarden check`: returns the exit code the verdict stands for.
pub fn check(args: &CheckArgs) -> Result<u8> {
    // tfaction names the working directory relative to the repository root;
    // a step already running inside it (where that path does not resolve)
    // keeps the current directory.
    let workdir = args
        .dir
        .clone()
        .or_else(|| {
            std::env::var_os("TFACTION_WORKING_DIR")
                .map(PathBuf::from)
                .filter(|d| !d.as_os_str().is_empty() && d.is_dir())
        })
        .unwrap_or_else(|| PathBuf::from("."));
    let config = load_config(&args.plugins, &workdir)?;
    let source = PlanSource::read(&args.plan, args.dir.as_deref(), args.max_plan_bytes)?;
    let plan = source.parse()?;
    let (sources, warnings) = SourceMap::load(&workdir, plan.configuration);
    for w in warnings {
        eprintln!("{:?}", miette::Report::new(w));
    }

    let inline_waivers = sources.inline_waivers()?;

    let (runtime, loaded, load_errors) = load_plugins(&args.plugins, &config)?;
    if load_errors.is_empty() {
        check_rule_ids(&config, &inline_waivers, &loaded)?;
    }
    let target = args
        .target
        .clone()
        .or_else(|| {
            std::env::var("TFACTION_TARGET")
                .ok()
                .filter(|t| !t.is_empty())
        })
        .unwrap_or_else(|| workdir.display().to_string());
    let mut judgement = Judgement::from_config(target, args.fail_on.map(Into::into), &config);
    judgement.waivers.extend(inline_waivers);
    judgement.override_by = if args.override_soft {
        Some(Override {
            by: args.override_by.clone().unwrap_or_else(ci::actor),
            via: "flag `--override`".into(),
        })
    } else {
        ci::label_override(config.override_label())
    };

    let report = pipeline::check_plan(
        &plan,
        &source.name,
        loaded,
        load_errors,
        &judgement,
        &sources,
        args.verbose,
    );
    drop(runtime);
    let rendered = match args.format {
        Format::Text => report::terminal::render(&report),
        Format::Json => report::json::render(&report),
        Format::Junit => report::junit::render(&report),
        Format::Markdown => report::markdown::render(&report, &Default::default()),
        Format::Sarif => report::sarif::render(&report),
    };
    emit(args.output.as_deref(), &rendered)?;
    for reporter in &args.reports {
        match reporter {
            Reporter::Github => match github::publish(&report, &github_context(args, &workdir)) {
                Ok(mut done) => {
                    eprintln!("tfwarden: GitHub: {done}");
                    if let Some(why) = done.offline.take() {
                        eprintln!("{:?}", miette::Report::new(Offline(why)));
                    }
                    let mut failures = std::mem::take(&mut done.failures).into_iter();
                    if args.strict_report
                        && let Some(first) = failures.next()
                    {
                        for error in failures {
                            eprintln!("{:?}", miette::Report::new(NotReported(error)));
                        }
                        return Err(first.into());
                    }
                    for error in failures {
                        eprintln!("{:?}", miette::Report::new(NotReported(error)));
                    }
                }
                Err(error) if args.strict_report => return Err(error.into()),
                Err(error) => eprintln!("{:?}", miette::Report::new(NotReported(error))),
            },
        }
    }
    Ok(report.exit_code())
}

fn github_context(args: &CheckArgs, workdir: &Path) -> GithubContext {
    let mut ctx = GithubContext::from_env(args.pr);
    ctx.comment_mode = match args.comment_mode {
        CommentModeArg::Update => CommentMode::Update,
        CommentModeArg::HideAndNew => CommentMode::HideAndNew,
        CommentModeArg::Off => CommentMode::Off,
    };
    ctx.dry_run = args.dry_run.clone();
    ctx.workdir = workdir.to_path_buf();
    ctx
}

/// Rule ids named in the configuration must exist, so a typo never silently
/// configures nothing.
fn check_rule_ids(config: &Config, inline: &[Waiver], loaded: &[Loaded]) -> Result<()> {
    let known: Vec<&str> = loaded
        .iter()
        .flat_map(|l| l.metadata.rules.iter().map(|r| r.id.as_str()))
        .collect();
    let unknown = |id: &str| id != "*" && !known.iter().any(|k| k.eq_ignore_ascii_case(id));
    let hint = |id: &str| match suggest::closest(id, known.iter().copied()) {
        Some(s) => format!("did you mean `{s}`? `tfwarden rules` lists every rule"),
        None => "`tfwarden rules` lists every rule of the enabled plugins".to_owned(),
    };
    for (id, entry) in &config.rules {
        if unknown(id) {
            let message = format!("no rule `{id}` in the enabled plugins");
            return Err(ConfigError::at(&entry.origin, Some(entry.span), message, hint(id)).into());
        }
    }
    for w in config.waivers.iter().chain(inline) {
        let id = w.config.rule.get_ref();
        if unknown(id) {
            let message = format!("the waiver names rule `{id}`, which no enabled plugin has");
            return Err(ConfigError::at(
                &w.origin,
                Some(w.config.rule.span().into()),
                message,
                hint(id),
            )
            .into());
        }
    }
    Ok(())
}

/// A failed `--report` without `--strict-report`: the same diagnostic as a
/// warning, since the check itself succeeded and its exit code stands.
#[derive(Debug, Error)]
#[error("the report did not reach GitHub; the check's exit code is kept: {0}")]
struct NotReported(GithubError);

impl Diagnostic for NotReported {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.0.code()
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Warning)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        let help = self.0.help()?.to_string();
        Some(Box::new(format!(
            "{help}; pass --strict-report to fail the run instead"
        )))
    }
}

/// Why the pull request was not reached, said once as a warning: the run goes
/// on with what it could do offline (the job summary, the exit code).
#[derive(Debug, Error)]
#[error("{0}; reporting offline")]
struct Offline(GithubError);

impl Diagnostic for Offline {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.0.code()
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Warning)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.0.help()
    }
}

/// `tfwarden rules`: every rule of every enabled plugin.
pub fn rules(args: &RulesArgs) -> Result<u8> {
    let config = load_config(&args.plugins, Path::new("."))?;
    let (_runtime, loaded, errors) = load_plugins(&args.plugins, &config)?;
    if let Some(e) = errors.first() {
        return Err(miette::miette!("{e}"));
    }
    let mut rows: Vec<_> = loaded
        .iter()
        .flat_map(|l| {
            l.metadata
                .rules
                .iter()
                .map(move |r| (l.metadata.name.as_str(), r))
        })
        .collect();
    rows.sort_by(|a, b| a.1.id.cmp(&b.1.id));
    let out = match args.format {
        ListFormat::Json => {
            let list: Vec<_> = rows
                .iter()
                .map(|(plugin, r)| {
                    serde_json::json!({
                        "id": r.id, "plugin": plugin, "severity": r.severity,
                        "category": r.category, "title": r.title,
                    })
                })
                .collect();
            serde_json::to_string_pretty(&list).into_diagnostic()? + "\n"
        }
        ListFormat::Text => {
            let mut text = format!(
                "{:<8} {:<10} {:<9} {:<14} TITLE\n",
                "ID", "PLUGIN", "SEVERITY", "CATEGORY"
            );
            for (plugin, r) in &rows {
                text += &format!(
                    "{:<8} {:<10} {:<9} {:<14} {}\n",
                    r.id,
                    plugin,
                    r.severity.as_str(),
                    r.category,
                    r.title
                );
            }
            text
        }
    };
    emit(None, &out)?;
    Ok(0)
}

/// `tfwarden explain RULE`: the rule's documentation page.
pub fn explain(args: &ExplainArgs) -> Result<u8> {
    let config = load_config(&args.plugins, Path::new("."))?;
    let (_runtime, loaded, _) = load_plugins(&args.plugins, &config)?;
    let rules = || loaded.iter().flat_map(|l| l.metadata.rules.iter());
    let Some(rule) = rules().find(|r| r.id.eq_ignore_ascii_case(&args.rule)) else {
        let help = match suggest::closest(&args.rule, rules().map(|r| r.id.as_str())) {
            Some(s) => format!("did you mean `{s}`? `tfwarden rules` lists them all"),
            None => "`tfwarden rules` lists every rule".into(),
        };
        return Err(UnknownRule {
            rule: args.rule.clone(),
            help,
        }
        .into());
    };
    let page = if rule.help.trim().is_empty() {
        format!("# {}: {}\n\n(no documentation page)\n", rule.id, rule.title)
    } else {
        rule.help.clone()
    };
    emit(None, &page)?;
    Ok(0)
}

fn load_config(args: &PluginArgs, dir: &Path) -> Result<Config> {
    Ok(match &args.config {
        Some(path) => Config::read(path)?,
        None => Config::discover(dir)?,
    })
}

/// Loads every selected plugin. Rejected settings stop the run; other load
/// failures are returned so the report can show them beside the others' findings.
fn load_plugins(
    args: &PluginArgs,
    config: &Config,
) -> Result<(Runtime, Vec<Loaded>, Vec<PluginError>)> {
    let specs = plugins::select(args, config)?;
    let cache = Cache::new(if args.no_cache {
        None
    } else {
        args.cache_dir.clone().or_else(Cache::default_dir)
    });
    let runtime = Runtime::new(cache)
        .map_err(|e| miette::miette!("{e:#}"))
        .wrap_err("starting the plugin runtime")?;
    let mut loaded = Vec::new();
    let mut errors = Vec::new();
    let mut rejected = Vec::new();
    for result in engine::load_all(&runtime, &specs) {
        match result {
            Ok(l) => loaded.push(l),
            Err(e @ PluginError::InvalidSettings { .. }) => rejected.push(e),
            Err(e) => errors.push(e),
        }
    }
    if !rejected.is_empty() {
        let config = config.nearest_file();
        return Err(SettingsRejected {
            errors: rejected,
            config,
        }
        .into());
    }
    Ok((runtime, loaded, errors))
}

/// Writes to stdout, or to `path` through a temporary file so a failed run
/// never leaves half a report behind.
fn emit(path: Option<&Path>, text: &str) -> Result<()> {
    let Some(path) = path else {
        let mut stdout = std::io::stdout().lock();
        // A closed pipe (`| head`) is not an error worth reporting.
        let _ = stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush());
        return Ok(());
    };
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, path))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
        .into_diagnostic()
        .wrap_err_with(|| format!("writing the report to {}", path.display()))
}

/// `tfwarden schema`: the JSON Schema of tfwarden.toml.
pub fn schema() -> Result<u8> {
    emit(None, &crate::policy::config::json_schema())?;
    Ok(0)
}

/// `tfwarden init`: a commented starting configuration.
pub fn init(args: &InitArgs) -> Result<u8> {
    if args.path.exists() && !args.force {
        return Err(miette::miette!(
            code = "tfwarden::init::exists",
            help = "pass --force to replace it",
            "{} already exists",
            args.path.display()
        ));
    }
    emit(Some(&args.path), STARTER_CONFIG)?;
    eprintln!("wrote {}", args.path.display());
    Ok(0)
}

/// The file `tfwarden init` writes. A test checks that it parses.
pub const STARTER_CONFIG: &str = include_str!("starter.toml");

/// `tfwarden test DIR --plugin P`: runs a plugin's fixture cases through the
/// sandbox, exactly as `check` would, and compares the findings.
pub fn test(args: &TestArgs) -> Result<u8> {
    let wasm: std::borrow::Cow<'static, [u8]> = match crate::builtin::wasm(&args.plugin) {
        Some(w) => w.into(),
        None => std::fs::read(&args.plugin)
            .into_diagnostic()
            .wrap_err_with(|| {
                format!(
                    "`{}` is neither a built-in plugin nor a readable .wasm file",
                    args.plugin
                )
            })?
            .into(),
    };
    let cache = Cache::new(args.cache_dir.clone().or_else(Cache::default_dir));
    let runtime = Runtime::new(cache).map_err(|e| miette::miette!("{e:#}"))?;
    let cases = tfwarden_sdk::testing::cases_in(&args.dir);
    if cases.is_empty() {
        return Err(miette::miette!(
            help = "a case is NAME.json (a plan) with NAME.expected.json",
            "no cases in {}",
            args.dir.display()
        ));
    }
    let mut failed = 0;
    for (plan_path, expected_path, settings_path) in &cases {
        let name = plan_path.display().to_string();
        let settings = std::fs::read_to_string(settings_path).unwrap_or_else(|_| "null".into());
        let spec = crate::engine::PluginSpec {
            name: args.plugin.clone(),
            wasm: wasm.clone(),
            settings,
            limits: Default::default(),
        };
        let source = PlanSource::read(&name, None, crate::plan::DEFAULT_MAX_BYTES)?;
        let plan = source.parse()?;
        let loaded = engine::load_all(&runtime, std::slice::from_ref(&spec))
            .pop()
            .expect("one spec, one result");
        let run = loaded.map(|l| {
            engine::check_all(vec![l], &plan, "test")
                .pop()
                .expect("one plugin, one run")
        });
        let actual = match run.map(|r| r.result) {
            Ok(Ok(output)) => {
                let mut v: Vec<_> = output
                    .findings
                    .iter()
                    .map(tfwarden_sdk::testing::ExpectedFinding::from)
                    .collect();
                v.sort();
                v
            }
            Ok(Err(e)) | Err(e) => {
                failed += 1;
                println!("FAIL {name}: {e}");
                continue;
            }
        };
        if args.update {
            let text = serde_json::to_string_pretty(&actual).into_diagnostic()? + "\n";
            emit(Some(expected_path), &text)?;
            println!("updated {}", expected_path.display());
            continue;
        }
        let expected: Vec<tfwarden_sdk::testing::ExpectedFinding> =
            match std::fs::read_to_string(expected_path) {
                Ok(text) => serde_json::from_str(&text)
                    .into_diagnostic()
                    .wrap_err_with(|| {
                        format!(
                            "{} is not a list of expected findings",
                            expected_path.display()
                        )
                    })?,
                Err(_) => {
                    failed += 1;
                    println!(
                        "FAIL {name}: no {} (run with --update to write it)",
                        expected_path.display()
                    );
                    continue;
                }
            };
        if expected == actual {
            println!("ok   {name}");
        } else {
            failed += 1;
            println!(
                "FAIL {name}\n{}",
                tfwarden_sdk::testing::diff(&expected, &actual)
            );
        }
    }
    println!("{} passed, {failed} failed", cases.len() - failed);
    Ok(if failed == 0 { 0 } else { 1 })
}
