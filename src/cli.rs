//! Command-line definitions. Each flag is defined once here; help text comes from it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use tfwarden_sdk::policy::Severity;

#[derive(Debug, Parser)]
#[command(
    name = "tfwarden",
    version,
    about = "Policy checks for Terraform plans, run as sandboxed WebAssembly plugins"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a plan with the enabled plugins.
    Check(CheckArgs),
    /// List every rule of every enabled plugin.
    Rules(RulesArgs),
    /// Print the documentation page of one rule.
    Explain(ExplainArgs),
    /// Run a plugin against fixture cases (NAME.json with NAME.expected.json).
    Test(TestArgs),
    /// Write a commented starting tfwarden.toml.
    Init(InitArgs),
    /// Print the JSON Schema of tfwarden.toml, for editor completion.
    Schema,
}

#[derive(Debug, Args)]
pub struct PluginArgs {
    /// Configuration file (default: the nearest tfwarden.toml up to the repository root).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// An extra plugin (.wasm component); repeatable.
    #[arg(long = "plugin", value_name = "WASM")]
    pub plugins: Vec<PathBuf>,
    /// Run no built-in plugins.
    #[arg(long)]
    pub no_builtins: bool,
    /// Where compiled plugins are cached (default: $TFWARDEN_CACHE_DIR or ~/.cache/tfwarden).
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Compile plugins every time instead of caching them.
    #[arg(long)]
    pub no_cache: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The plan: JSON from `terraform show -json`, a binary plan file, or `-` for stdin.
    #[arg(long, value_name = "FILE")]
    pub plan: String,
    /// The Terraform working directory: binary plans are converted there,
    /// tfwarden.toml is looked up from there, and its `.tf` files (and local
    /// modules) place each finding at a file and line (default: $TFACTION_WORKING_DIR
    /// when that directory exists, else the current directory).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// A name for what is checked (default: $TFACTION_TARGET, else the working directory).
    #[arg(long)]
    pub target: Option<String>,
    /// How the report is printed (or written with `--output`).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the report to this file instead of stdout (written whole or not at all).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also report here; repeatable. `github`: the job summary, a summary
    /// comment on the pull request and inline comments on changed lines.
    #[arg(long = "report", value_enum, value_name = "WHERE")]
    pub reports: Vec<Reporter>,
    /// Exit 3 when a `--report` fails, instead of warning and keeping the check's exit code.
    #[arg(long)]
    pub strict_report: bool,
    /// The pull request for `--report github` (default: $CI_INFO_PR_NUMBER, else the event's).
    #[arg(long, value_name = "NUMBER")]
    pub pr: Option<u64>,
    /// `--report github`: edit the summary comment in place, hide it and post
    /// a new one, or post none.
    #[arg(long, value_enum, default_value_t = CommentModeArg::Update)]
    pub comment_mode: CommentModeArg,
    /// `--report github`: write the summary's Markdown and every API request
    /// body to DIR (numbered JSON files) instead of sending them.
    #[arg(long, value_name = "DIR")]
    pub dry_run: Option<PathBuf>,
    /// The lowest severity that blocks (default: the config's `fail_on`, else high).
    #[arg(long, value_enum)]
    pub fail_on: Option<SeverityArg>,
    /// Refuse plans larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = crate::plan::DEFAULT_MAX_BYTES)]
    pub max_plan_bytes: u64,
    /// Release `soft` rules for this run; recorded in the report with who did it.
    #[arg(long = "override")]
    pub override_soft: bool,
    /// Who is overriding (default: $GITHUB_ACTOR, else $USER).
    #[arg(long, value_name = "NAME", requires = "override_soft")]
    pub override_by: Option<String>,
    /// Print plugin logs and timings to stderr.
    #[arg(long, short)]
    pub verbose: bool,
    #[command(flatten)]
    pub plugins: PluginArgs,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
    #[command(flatten)]
    pub plugins: PluginArgs,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule id such as TAG001.
    pub rule: String,
    #[command(flatten)]
    pub plugins: PluginArgs,
}

#[derive(Debug, Args)]
pub struct TestArgs {
    /// The folder of cases.
    pub dir: PathBuf,
    /// The plugin: a built-in name or a .wasm path.
    #[arg(long)]
    pub plugin: String,
    /// Accept the actual results as the new expectations.
    #[arg(long)]
    pub update: bool,
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write it.
    #[arg(default_value = "tfwarden.toml")]
    pub path: PathBuf,
    /// Replace an existing file.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people at a terminal.
    Text,
    /// The report model (docs/report-schema.md).
    Json,
    /// JUnit XML, for CI test reports.
    Junit,
    /// The pull-request summary, as GitHub Markdown.
    Markdown,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Reporter {
    /// GitHub Actions: job summary, pull-request comment and review.
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CommentModeArg {
    /// Edit this target's summary comment in place.
    Update,
    /// Hide the old summary comment as outdated and post a new one.
    HideAndNew,
    /// Post no summary comment.
    Off,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl From<SeverityArg> for Severity {
    fn from(s: SeverityArg) -> Self {
        match s {
            SeverityArg::Info => Severity::Info,
            SeverityArg::Low => Severity::Low,
            SeverityArg::Medium => Severity::Medium,
            SeverityArg::High => Severity::High,
            SeverityArg::Critical => Severity::Critical,
        }
    }
}
