//! The per-run store state: an empty WASI context, a memory cap that names
//! itself when hit, and a bounded log buffer. Nothing here grants access to
//! the host.

use std::time::Duration;

use wasmtime::ResourceLimiter;
use wasmtime::component::ResourceTable;
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::{HostMonotonicClock, HostWallClock, WasiCtx, WasiCtxView, WasiView};

/// Most bytes of plugin log lines and stderr kept per run.
const LOG_BUDGET: usize = 64 * 1024;

/// The state of one plugin run.
pub struct HostState {
    wasi: WasiCtx,
    table: ResourceTable,
    pub(super) memory: MemoryCap,
    pub(super) logs: Vec<String>,
    log_bytes: usize,
    stderr: MemoryOutputPipe,
}

impl HostState {
    pub fn new(memory_limit: usize) -> Self {
        let stderr = MemoryOutputPipe::new(LOG_BUDGET);
        let mut wasi = WasiCtx::builder();
        // No preopens, environment, arguments or stdin. Clocks stand still and
        // sockets are refused, so a plugin can neither look out nor time anything.
        wasi.stderr(stderr.clone())
            .wall_clock(FrozenClock)
            .monotonic_clock(FrozenClock)
            .allow_tcp(false)
            .allow_udp(false)
            .allow_ip_name_lookup(false)
            .insecure_random_seed(0);
        HostState {
            wasi: wasi.build(),
            table: ResourceTable::new(),
            memory: MemoryCap {
                limit: memory_limit,
                used: 0,
                hit: false,
            },
            logs: Vec::new(),
            log_bytes: 0,
            stderr,
        }
    }

    /// Keeps a log line while the budget lasts.
    pub fn push_log(&mut self, line: String) {
        if self.log_bytes + line.len() <= LOG_BUDGET {
            self.log_bytes += line.len();
            self.logs.push(line);
        }
    }

    /// What the plugin wrote to stderr (a panic message, usually), trimmed.
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.stderr.contents())
            .trim()
            .to_owned()
    }
}

impl WasiView for HostState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

/// Caps the total linear memory of a plugin and remembers whether the cap was hit,
/// so the error can say which limit stopped the plugin.
pub struct MemoryCap {
    pub limit: usize,
    used: usize,
    pub hit: bool,
}

impl ResourceLimiter for MemoryCap {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        _max: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let total = self.used + desired.saturating_sub(current);
        if total > self.limit {
            self.hit = true;
            wasmtime::bail!("plugin memory cap of {} bytes reached", self.limit);
        }
        self.used = total;
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _max: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(desired <= 1 << 20)
    }
}

/// A clock that always reads zero.
struct FrozenClock;

impl HostWallClock for FrozenClock {
    fn resolution(&self) -> Duration {
        Duration::from_secs(1)
    }
    fn now(&self) -> Duration {
        Duration::ZERO
    }
}

impl HostMonotonicClock for FrozenClock {
    fn resolution(&self) -> u64 {
        1_000_000_000
    }
    fn now(&self) -> u64 {
        0
    }
}
