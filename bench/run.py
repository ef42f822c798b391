#!/usr/bin/env python3
"""tfwarden's benchmark: all built-in plugins against the native lower bound
(and Checkov, when installed), on generated plans of growing size.

    python3 bench/run.py [--sizes 100,5000,50000] [--runs 3] [--checkov-runs 1]

Plans come from ../shared/peers/gen_plan.py (seed 42) and are cached in
target/bench-plans. Every figure is measured in this run with GNU time:
median wall seconds, median CPU (user+sys) seconds, median peak RSS.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared")
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def measure(cmd, env=None):
    """Runs cmd under GNU time; returns (wall s, cpu s, peak MB, exit code)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        started = time.perf_counter()
        proc = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", "-o", t.name] + cmd,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        wall = time.perf_counter() - started
        user, system, kb = t.read().split()[-3:]
    return wall, float(user) + float(system), int(kb) / 1024.0, proc.returncode


def median_of(runs):
    return tuple(statistics.median(r[i] for r in runs) for i in range(3))


def plan_for(n):
    plans = os.path.join(TARGET, "bench-plans")
    os.makedirs(plans, exist_ok=True)
    path = os.path.join(plans, f"plan-{n}.json")
    if not os.path.exists(path):
        print(f"generating a {n}-resource plan ...", flush=True)
        with open(path + ".tmp", "w") as out:
            sh([sys.executable, os.path.join(SHARED, "peers", "gen_plan.py"), str(n), "--seed", "42"],
               stdout=out, stderr=subprocess.DEVNULL)
        os.rename(path + ".tmp", path)
    return path


def row(label, n, fig, base=None):
    wall, cpu, mb = fig
    ratio = f"{wall / base[0]:6.2f}x wall {mb / base[2]:5.2f}x mem" if base and base[0] > 0 else ""
    print(f"{label:<28} {n:>6}  {wall:8.3f} s  {cpu:8.2f} s  {mb:8.1f} MB  {ratio}", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="100,5000,50000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--checkov-runs", type=int, default=1)
    a = ap.parse_args()
    if not os.path.isdir(SHARED):
        sys.exit("bench/run.py needs ../shared (the plan generator) beside the repository")

    sh(["cargo", "build", "--release", "--locked", "--bin", "tfwarden", "--example", "lower-bound"], cwd=ROOT)
    tfwarden = os.path.join(TARGET, "release", "tfwarden")
    lower = os.path.join(TARGET, "release", "examples", "lower-bound")
    checkov = shutil.which("checkov")
    cache = tempfile.mkdtemp(prefix="tfwarden-bench-cache-")
    env = dict(os.environ, TFWARDEN_CACHE_DIR=cache)

    print(f"\n{'tool':<28} {'size':>6}  {'wall':>10}  {'cpu':>10}  {'peak':>11}  vs lower bound")
    small = plan_for(100)
    cold = measure([tfwarden, "check", "--plan", small, "--format", "json"], env)
    row("tfwarden cold start", 100, cold[:3])
    warm = median_of([measure([tfwarden, "check", "--plan", small, "--format", "json"], env) for _ in range(5)])
    row("tfwarden warm start", 100, warm)

    for n in [int(s) for s in a.sizes.split(",")]:
        plan = plan_for(n)
        base = median_of([measure([lower, plan]) for _ in range(a.runs)])
        row("native lower bound", n, base)
        runs = [measure([tfwarden, "check", "--plan", plan, "--format", "json"], env) for _ in range(a.runs)]
        codes = {r[3] for r in runs}
        if codes - {0, 1}:
            sys.exit(f"tfwarden failed on the {n}-resource plan (exit {codes})")
        row("tfwarden, all built-ins", n, median_of(runs), base)
        if n <= 5000:
            if checkov:
                out = tempfile.mkdtemp(prefix="checkov-")
                ck = [measure([checkov, "-f", plan, "--framework", "terraform_plan", "--quiet", "-o", "json",
                               "--output-file-path", out]) for _ in range(a.checkov_runs)]
                fig = median_of(ck)
                row("checkov, all checks", n, fig, base)
                print(f"{'':<28} tfwarden is {fig[0] / median_of(runs)[0]:.0f}x faster than checkov", flush=True)
            else:
                print(f"{'checkov':<28} {n:>6}  skipped: checkov is not installed "
                      "(../shared/peers/setup_and_run.sh shows how)", flush=True)
    shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
