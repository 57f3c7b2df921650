"""python -m bench: render timings beside the raw engines and warm Chromium printing the same HTML, the first
document after a start, then the service end to end; a table and JSON.

  python -m bench                 everything (about four minutes on two cores)
  python -m bench --quick         fewer runs and a smaller burst, for a quick look
  python -m bench --in-process    only the render timings (no Redis needed)
  python -m bench --scale 1 2 4   only bursts of bids through 1, 2 and 4 workers (documents/s as workers grow)
  python -m bench --store s3      the end-to-end part against a bucket on a one-node Swift the bench starts
  python -m bench --mixed 500     only worker memory at job 50 and job 500, a report PDF and a zine in every ten
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from . import inprocess


def in_process_table(rows: list[dict[str, Any]]) -> list[str]:
    lines = [f"{'In-process render':<40} {'median':>9} {'p95':>9} {'raw median':>11} {'ours/raw':>9} "
             f"{'Chromium':>10} {'ours/Chr.':>10}"]
    for row in rows:
        raw, chromium = row.get("raw"), row.get("chromium")
        lines.append(f"{row['kind']:<40} {row['ours']['median_ms']:>7.1f}ms {row['ours']['p95_ms']:>7.1f}ms "
                     + (f"{raw['median_ms']:>9.1f}ms {row['ratio']:>8.2f}×" if raw else f"{'':>11} {'':>9}")
                     + (f" {chromium['median_ms']:>8.1f}ms {row['chromium_ratio']:>9.2f}×" if chromium else ""))
    return lines


def e2e_table(results: dict[str, Any]) -> list[str]:
    store = "S3 (Swift)" if results.get("store") == "s3" else "local files"
    lines = [f"End to end, bid DOCX through the API ({results['workers']} {results['mode']} workers, Redis, "
             f"{results['database']}, {store})",
             f"{'concurrent clients':<22} {'documents':>10} {'p50':>9} {'p95':>9}"]
    for row in results["latency"]:
        lines.append(f"{row['clients']:<22} {row['documents']:>10} {row['p50_ms']:>7.1f}ms {row['p95_ms']:>7.1f}ms")
    b, r, m = results["burst"], results["repeat"], results["memory"]
    lines += [f"burst of {b['documents']}: {b['seconds']} s, {b['per_second']} documents/s, {b['failed']} failed",
              f"identical repeat: p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, "
              f"{'no render' if r['all_reused_without_render'] else 'RENDERED AGAIN'}",
              f"worker memory (the {results['workers']} workers, not the pool's {m['pool_kb'] / 1024:.0f} MB): "
              f"{m['workers_kb_at_50'] / 1024:.0f} MB after 50 jobs, {m['workers_kb_at_end'] / 1024:.0f} MB after "
              f"{m['jobs']} ({m['change']:+.1%}{'' if m['same_workers'] else ', workers were replaced'})"]
    return lines


def first_table(rows: list[dict[str, Any]]) -> list[str]:
    lines = [f"{'First report PDF after a start':<32} {'start':>7} {'first':>8} {'warm median':>12} {'first/warm':>11}"]
    for row in rows:
        lines.append(f"{row['queue']:<32} {row['start_s']:>6.1f}s {row['first_ms']:>6}ms {row['warm_ms']:>10}ms "
                     f"{row['ratio']:>10.2f}×")
    return lines


def first_documents(args: argparse.Namespace) -> list[dict[str, Any]]:
    """Fresh services in a process of their own: the first document after each start, against the later ones."""
    done = subprocess.run([sys.executable, "-m", "bench.first", "--redis", args.redis], capture_output=True, text=True)
    if done.returncode:
        sys.exit("the first-document run failed:\n" + "\n".join(done.stderr.splitlines()[-40:]))
    return list(json.loads(done.stdout.splitlines()[-1]))


def scale_only(args: argparse.Namespace) -> None:
    """Bursts through more and more workers on the shared Redis and database, printed as a table."""
    command = [sys.executable, "-m", "bench.e2e", "--redis", args.redis, "--mode", args.modes[0], "--scale",
               *map(str, args.scale), *(["--quick"] if args.quick else [])]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        sys.exit("the scale run failed:\n" + "\n".join(done.stderr.splitlines()[-40:]))
    rows = json.loads(done.stdout.splitlines()[-1])
    print(f"Bid DOCX bursts ({rows[0]['documents']} documents, 16 clients, {args.modes[0]} workers, "
          f"{rows[0]['database']})")
    print(f"{'workers':<10} {'documents/s':>12} {'p50':>9} {'p95':>9}")
    for row in rows:
        print(f"{row['workers']:<10} {row['per_second']:>12} {row['p50_ms']:>7.1f}ms {row['p95_ms']:>7.1f}ms")


def mixed_only(args: argparse.Namespace) -> None:
    """Worker memory with every engine in use: job 50 against job N, printed as a line."""
    command = [sys.executable, "-m", "bench.e2e", "--redis", args.redis, "--mode", args.modes[0],
               "--workers", str(args.workers), "--mixed", str(args.mixed)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        sys.exit("the mixed run failed:\n" + "\n".join(done.stderr.splitlines()[-40:]))
    row = json.loads(done.stdout.splitlines()[-1])
    m = row["memory"]
    print(f"Mixed jobs ({row['kinds']}, {row['workers']} {row['mode']} workers, {row['database']}, "
          f"{row['seconds']} s after job 50)")
    print(f"worker memory: {m['workers_kb_at_50'] / 1024:.0f} MB at job 50, {m['workers_kb_at_end'] / 1024:.0f} MB "
          f"at job {m['jobs']} ({m['change']:+.1%}; same worker processes: {m['same_workers']})")


def end_to_end(args: argparse.Namespace, mode: str) -> dict[str, Any]:
    """The end-to-end half in a process of its own, so this process's heap cannot slow the clients."""
    command = [sys.executable, "-m", "bench.e2e", "--workers", str(args.workers), "--redis", args.redis,
               "--mode", mode, "--store", args.store, *(["--quick"] if args.quick else [])]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"the end-to-end run ({mode}) failed:\n" + "\n".join(done.stderr.splitlines()[-40:]))
    return dict(json.loads(done.stdout.splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--in-process", action="store_true", help="skip the end-to-end part")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--modes", nargs="+", default=["simple", "fork"], choices=["simple", "fork"],
                        help="worker modes to measure end to end (simple is the default in service)")
    parser.add_argument("--redis", default=os.environ.get("LABDOCS_TEST_REDIS", "redis://127.0.0.1:6379/0"))
    parser.add_argument("--scale", type=int, nargs="+", help="only a burst through each of these worker counts")
    parser.add_argument("--store", choices=["local", "s3"], default="local",
                        help="the end-to-end file store: a local folder, or a bucket on a Swift the bench starts")
    parser.add_argument("--mixed", type=int, help="only worker memory over this many jobs, reports and zines mixed")
    parser.add_argument("--json", type=Path, default=Path("bench/results.json"))
    args = parser.parse_args()
    started = time.time()
    results: dict[str, Any] = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                           "when": time.strftime("%Y-%m-%d %H:%M", time.gmtime(started))}}
    if args.scale:
        scale_only(args)
        return
    if args.mixed:
        mixed_only(args)
        return
    results["in_process"] = inprocess.run(10 if args.quick else 40)
    print("\n".join(in_process_table(results["in_process"])))
    if not args.in_process:
        results["first"] = first_documents(args)
        print()
        print("\n".join(first_table(results["first"])))
        for mode in args.modes:
            results.setdefault("end_to_end", []).append(end_to_end(args, mode))
            print()
            print("\n".join(e2e_table(results["end_to_end"][-1])))
    results["seconds"] = round(time.time() - started, 1)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwrote {args.json} ({results['seconds']} s)")


if __name__ == "__main__":
    main()
