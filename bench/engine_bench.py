#!/usr/bin/env python3
"""zoo's engine against ONNX Runtime and DeepSparse on the reference workloads, side by side in one run.

Usage: engine_bench.py [--zoo PATH] [--only W[,W…]] [--batch B[,B…]] [--rounds R] [--time T] [--warmup W]
                       [--cores N] [--engines zoo,ort,ds] [--json OUT] [--markdown OUT] [--out DIR]

The workloads (issue 5, design.md): ResNet-50 dense, pruned 90 % and 95 % at batch 1 and 16; DistilBERT
(seq 128) dense and pruned 80 %, YOLOv5s and MobileNet v1 dense and pruned 90 %, at batch 1. Missing models are
generated with bench/make_models.py into --models (default .build/models).

For each workload, R rounds; in each round every engine runs once, in the order zoo, ONNX Runtime, DeepSparse,
each in a process of its own on the same model.onnx with the same batch, cores and times:
  zoo           zoo bench MODEL -s sync -b B -ncores N -t T -w W -x OUT -q
  ONNX Runtime  bench/harness/ort_benchmark.py MODEL (same flags): N intra-op threads, sequential, all graph
                optimisations, timed as deepsparse.benchmark times (docs/benchmarks.md)
  DeepSparse    deepsparse.benchmark MODEL (same flags), NM_DISABLE_ANALYTICS=1, from .venv-deepsparse
Each engine's own JSON export is read back (items_per_sec, median latency). For each pruned model, one
`deepsparse.debug_analysis` run first shows which layers DeepSparse runs on its sparse kernels.

Prints the table of medians over rounds (ms per batch and items/s per engine, ratios zoo/ORT and zoo/DS), the bars
of issue 5 with pass or not, and the same as markdown for docs/benchmarks.md with the machine's description. Every
engine's export and console output stays in --out (default .build/bench/DATE-TIME), with results.json and
results.md. An engine that fails on a workload is reported in the table with its reason; the run goes on.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any, Sequence

from harness import machine, report
from harness.runners import ENGINE_NAMES, ENGINES, Settings, Tools, deepsparse_analysis, log_line, measure, version_of
from harness.workloads import REFERENCE, ensure_models, parse_batches, select

ROOT = Path(__file__).resolve().parent.parent


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="workloads: " + ", ".join(f"{v} (b{','.join(map(str, b))})" for v, b in REFERENCE.items()))
    listing = lambda text: [item for item in text.split(",") if item]  # noqa: E731
    parser.add_argument("--zoo", type=Path, default=ROOT / ".build" / "release" / "zoo", help="the zoo binary (default .build/release/zoo)")
    parser.add_argument("--only", type=listing, help="workloads, e.g. resnet50:16,distilbert-pruned80 or 'resnet50*' (default: all)")
    parser.add_argument("-b", "--batch", type=parse_batches, help="batch sizes for every workload that names none (default: its own)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per workload, engines interleaved in each (default 3)")
    parser.add_argument("-t", "--time", type=int, default=10, help="seconds measured per run, whole (deepsparse.benchmark's -t takes an int; default 10)")
    parser.add_argument("-w", "--warmup", type=int, default=2, help="seconds of warm-up per run, whole (default 2)")
    parser.add_argument("-ncores", "--cores", type=int, default=2, help="cores (threads) for every engine (default 2)")
    parser.add_argument("--engines", type=listing, default=list(ENGINES), help="engines to run, among zoo,ort,ds (default all)")
    parser.add_argument("--models", type=Path, default=ROOT / ".build" / "models", help="where models are generated and kept")
    parser.add_argument("--deepsparse-venv", type=Path, default=ROOT / ".venv-deepsparse", help="the venv with deepsparse 1.8.0")
    parser.add_argument("--ort-python", type=Path, default=Path(sys.executable), help="the Python with onnxruntime (default: this one)")
    parser.add_argument("--no-ds-analysis", action="store_true", help="skip DeepSparse's per-layer analysis of pruned models")
    parser.add_argument("--out", type=Path, help="directory for every run's files (default .build/bench/DATE-TIME)")
    parser.add_argument("--json", type=Path, help="also write the results (every run, medians, ratios, bars) here")
    parser.add_argument("--markdown", type=Path, help="also write the markdown section here")
    parser.add_argument("--wait-quiet", type=float, default=0, metavar="SECONDS",
                        help="before each run, wait up to this long for other work to take under 25 %% of the CPU (default 0)")
    parser.add_argument("--check-bars", action="store_true", help="exit 1 if a bar of issue 5 or 8 is not met")
    args = parser.parse_args(argv)
    unknown = [e for e in args.engines if e not in ENGINES]
    if unknown or not args.engines:
        parser.error(f"--engines takes some of {','.join(ENGINES)}, got {','.join(args.engines)}")
    args.engines = [e for e in ENGINES if e in args.engines]  # always zoo → ORT → DeepSparse
    if args.rounds < 1 or args.time <= 0 or args.warmup < 0 or args.cores < 1:
        parser.error("--rounds and --cores must be at least 1, --time positive, --warmup not negative")
    try:
        args.workloads = select(args.only, args.batch)
    except ValueError as error:
        parser.error(str(error))
    if "zoo" in args.engines and not args.zoo.exists():
        parser.error(f"no zoo binary at {args.zoo}; build it with `make release` or pass --zoo")
    if "ds" in args.engines and not (args.deepsparse_venv / "bin" / "deepsparse.benchmark").exists():
        parser.error(f"no deepsparse.benchmark in {args.deepsparse_venv}; run `scripts/venv.sh deepsparse` (make bench does)")
    return args


def model_info(path: Path) -> dict[str, Any]:
    """make_models.py's model.json beside a model: target and measured sparsity."""
    info_path = path.with_name("model.json")
    if not info_path.exists():
        return {}
    info = json.loads(info_path.read_text())
    return {k: info.get(k) for k in ("target_sparsity", "prunable_sparsity", "overall_sparsity", "parameters")}


def command_line(argv: Sequence[str] | None) -> str:
    """How this run was started, for the record: `make bench …` when make passed it in BENCH_COMMAND."""
    return os.environ.get("BENCH_COMMAND") or " ".join(["bench/engine_bench.py", *(sys.argv[1:] if argv is None else argv)])


def zoo_version(zoo: Path) -> str | None:
    try:
        done = subprocess.run([str(zoo), "version"], capture_output=True, text=True, timeout=60)
    except OSError:
        return None
    first = done.stdout.split("\n", 1)[0].split()
    return first[-1] if first else None


def git_commit() -> str | None:
    done = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"], capture_output=True, text=True)
    return done.stdout.strip() or None


def software(args: argparse.Namespace, records: list[dict[str, Any]]) -> dict[str, Any]:
    """Versions of everything measured; DeepSparse's banner (edition, ISA) and zoo's ISA from their runs."""
    found = {"python": platform.python_version(), "harness_commit": git_commit(), "zoo_binary": str(args.zoo)}
    if "zoo" in args.engines:
        found["zoo"] = zoo_version(args.zoo)
        built_here = args.zoo.resolve() == (ROOT / ".build" / "release" / "zoo").resolve()
        found["zoo_build"] = f"release build of {found['harness_commit']}" if built_here else f"binary {args.zoo}"
    if "ort" in args.engines:
        found["onnxruntime"] = version_of(args.ort_python, "onnxruntime")
    if "ds" in args.engines:
        found["deepsparse"] = version_of(args.deepsparse_venv / "bin" / "python", "deepsparse")
    for record in records:
        for engine, runs in record["runs"].items():
            for run in runs:
                details = run.get("details", {})
                if engine == "ds" and details.get("banner"):
                    found.setdefault("deepsparse_banner", details["banner"])
                if engine == "zoo" and details.get("isa"):
                    found.setdefault("zoo_isa", details["isa"])
                    found.setdefault("zoo_gemm_kernel", details.get("gemm_kernel"))
                    found.setdefault("zoo_spmm_kernel", details.get("spmm_kernel"))
    return found


def software_line(found: dict[str, Any]) -> str:
    parts = [f"Python {found['python']}"]
    if found.get("zoo"):
        isa = f", {found['zoo_isa']}, GEMM {found['zoo_gemm_kernel']}" if found.get("zoo_isa") else ""
        isa += f", SpMM {found['zoo_spmm_kernel']}" if found.get("zoo_spmm_kernel") else ""
        parts.append(f"zoo {found['zoo']} ({found['zoo_build']}{isa})")
    if found.get("onnxruntime"):
        parts.append(f"ONNX Runtime {found['onnxruntime']}")
    if found.get("deepsparse"):
        banner = found.get("deepsparse_banner", "")
        edition = banner.split("version:", 1)[1].strip() if "version:" in banner else ""
        parts.append(f"DeepSparse {found['deepsparse']}" + (f" (`{edition}`)" if edition else ""))
    return ", ".join(parts) + "."


def settings_line(args: argparse.Namespace) -> str:
    order = " → ".join(ENGINE_NAMES[e] for e in args.engines)
    return (f"{args.cores} cores per engine, sync scenario (one stream), {args.rounds} round{'s' if args.rounds > 1 else ''} × ({args.warmup:g} s warm-up "
            f"+ {args.time:g} s), engines interleaved in each round ({order}), each run in its own process on the same "
            "model.onnx; figures are medians over rounds of each run's median latency and throughput; "
            f"harness bench/engine_bench.py at {git_commit()}.")


def estimate_seconds(args: argparse.Namespace) -> float:
    """A rough duration: every run's times plus loading/compiling (~4 s zoo and ORT, ~8 s DeepSparse)."""
    overhead = {"zoo": 4, "ort": 4, "ds": 8}
    per_round = sum(args.time + args.warmup + overhead[e] for e in args.engines)
    return len(args.workloads) * args.rounds * per_round


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started, clock = datetime.now(), time.perf_counter()
    out = args.out or ROOT / ".build" / "bench" / started.strftime("%Y%m%d-%H%M%S")
    out.mkdir(parents=True, exist_ok=True)
    paths = ensure_models([w.variant for w in args.workloads], args.models)
    settings = Settings(cores=args.cores, seconds=args.time, warmup=args.warmup)
    tools = Tools(zoo=args.zoo, ort_python=args.ort_python, deepsparse_bin=args.deepsparse_venv / "bin")
    total = len(args.workloads) * args.rounds * len(args.engines)
    log_line(f"{len(args.workloads)} workloads × {args.rounds} rounds × {len(args.engines)} engines = {total} runs, "
             f"about {estimate_seconds(args) / 60:.0f} min; files in {out}")

    records: list[dict[str, Any]] = []
    analysed: dict[str, dict[str, Any]] = {}
    done = 0
    for workload in args.workloads:
        model = paths[workload.variant]
        record: dict[str, Any] = {"variant": workload.variant, "batch": workload.batch, "model": str(model),
                                  **model_info(model), "runs": {e: [] for e in args.engines}}
        if "ds" in args.engines and workload.sparsity > 0 and not args.no_ds_analysis:
            if workload.variant not in analysed:
                log_line(f"{workload.variant}: deepsparse.debug_analysis (which layers run sparse) …")
                analysed[workload.variant] = deepsparse_analysis(model, 1, args.cores, tools, out, workload.variant)
            record["ds_analysis"] = analysed[workload.variant]
        for round_index in range(args.rounds):
            for engine in args.engines:
                tag = f"{workload.variant}.b{workload.batch}.r{round_index + 1}"
                busy = machine.wait_for_quiet(args.wait_quiet)
                result = measure(engine, model, workload.batch, settings, tools, out, tag)
                record["runs"][engine].append({**result.to_json(), "others_cpu_before": busy})
                done += 1
                figures = (f"{result.median_ms:.2f} ms, {result.items_per_sec:.2f} items/s" if result.ok
                           else f"FAILED: {result.error}")
                others = f", others' CPU before {busy:.0%}" if busy is not None else ""
                log_line(f"[{done}/{total}] {workload.variant} b{workload.batch} round {round_index + 1}: "
                         f"{ENGINE_NAMES[engine]} {figures} ({result.wall_seconds:.0f} s{others})")
        report.aggregate(record)
        records.append(record)
        (out / "results.json").write_text(json.dumps({"records": records}, indent=1) + "\n")

    elapsed = time.perf_counter() - clock
    machine_info = machine.describe()
    found = software(args, records)
    bars = report.evaluate_bars(records)
    busy = sorted(run["others_cpu_before"] for r in records for runs in r["runs"].values() for run in runs
                  if run["others_cpu_before"] is not None)
    load = (f"; CPU taken by other work in the second before each run: median {statistics.median(busy):.0%}, "
            f"max {busy[-1]:.0%}, over 25 % before {sum(b > 0.25 for b in busy)} of {len(busy)} runs") if busy else ""
    context = {
        "date": started.strftime("%Y-%m-%d %H:%M"),
        "elapsed": f"{int(elapsed // 60)} min {int(elapsed % 60)} s{load}",
        "command": command_line(argv),
        "machine_line": machine.summary_line(machine_info),
        "software_line": software_line(found),
        "settings_line": settings_line(args),
    }
    engines = report.engines_in(records)
    text = report.markdown(records, engines, bars, context)
    result = {"context": context, "machine": machine_info, "software": found,
              "settings": {"cores": args.cores, "time": args.time, "warmup": args.warmup, "rounds": args.rounds,
                           "engines": args.engines},
              "elapsed_seconds": elapsed, "records": records, "bars": bars}
    (out / "results.json").write_text(json.dumps(result, indent=1) + "\n")
    (out / "results.md").write_text(text + "\n")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n")
    if args.markdown:
        args.markdown.write_text(text + "\n")

    print(f"Medians over {args.rounds} round{'s' if args.rounds > 1 else ''} of {args.warmup:g} s + {args.time:g} s, {args.cores} cores, "
          f"took {context['elapsed']}.\nratios: zoo/peer items/s (>1: zoo faster), zoo/peer ms (<1: zoo faster)")
    print(report.text_table(records, engines))
    if bars:
        print("\nBars of issues 5 and 8:")
        print(report.bars_text(bars))
    print(f"\nMarkdown for docs/benchmarks.md ({out / 'results.md'}):\n")
    print(text)
    return 1 if args.check_bars and any(b["pass"] is False for b in bars) else 0


if __name__ == "__main__":
    sys.exit(main())
