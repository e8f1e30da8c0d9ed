"""One measurement of one engine, each in a process of its own, read back from its deepsparse-style JSON.

Every runner writes the engine's own export (`-x`) and its console output into the run directory, and returns a
`Measurement`: the figures when the engine finished, else the reason it did not (the last line it printed, the
exit status or the time-out), so that a failure shows in the table instead of stopping the run.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HARNESS = Path(__file__).resolve().parent

ENGINES = ("zoo", "ort", "ds")
ENGINE_NAMES = {"zoo": "zoo", "ort": "ONNX Runtime", "ds": "DeepSparse"}

# Seconds a run may take beyond its warm-up and measured time (loading, compiling, writing the export).
SLACK_SECONDS = 600


@dataclass
class Measurement:
    """One run of one engine on one workload."""

    engine: str
    ok: bool
    items_per_sec: float | None = None
    median_ms: float | None = None
    mean_ms: float | None = None
    p90_ms: float | None = None
    iterations: int | None = None
    wall_seconds: float = 0.0
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    export: str | None = None  # path of the engine's JSON export
    details: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Settings:
    """What every engine is given: the same cores, batch, scenario and times."""

    cores: int
    seconds: int
    warmup: int


@dataclass
class Tools:
    """Where the engines are."""

    zoo: Path
    ort_python: Path  # a Python with onnxruntime (the .venv)
    deepsparse_bin: Path  # .venv-deepsparse/bin


def failure_reason(output: str, returncode: int) -> str:
    """The most telling line of a failed run's output: the last error-looking line, else the last line."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    errors = [line for line in lines if re.search(r"error|exception|fail|refus|not supported|unsupported", line, re.I)]
    line = (errors or lines or [""])[-1]
    return f"exit {returncode}: {line[:300]}" if line else f"exit {returncode}"


def warning_lines(output: str) -> list[str]:
    """Lines that the engine logged as warnings (deduplicated, in order)."""
    found = [line.strip() for line in output.splitlines() if re.search(r"\bWARN(ING)?\b|warning:", line)]
    return list(dict.fromkeys(found))


def execute(engine: str, command: list[str], export: Path, log: Path, timeout: float,
            env: dict[str, str] | None = None) -> Measurement:
    """Run one benchmark command, keep its output in `log`, read its deepsparse-style export."""
    start = time.perf_counter()
    export.unlink(missing_ok=True)
    try:
        done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              timeout=timeout, env=env)
        output, returncode = done.stdout, done.returncode
    except subprocess.TimeoutExpired as expired:
        output = expired.stdout if isinstance(expired.stdout, str) else (expired.stdout or b"").decode(errors="replace")
        log.write_text("$ " + " ".join(command) + "\n" + output)
        return Measurement(engine, False, wall_seconds=time.perf_counter() - start,
                           error=f"timed out after {timeout:.0f} s")
    except OSError as error:
        return Measurement(engine, False, error=f"cannot start {command[0]}: {error}")
    wall = time.perf_counter() - start
    log.write_text("$ " + " ".join(command) + "\n" + output)
    warnings = warning_lines(output)
    if returncode != 0 or not export.exists():
        reason = failure_reason(output, returncode) if returncode != 0 else f"wrote no export ({export.name})"
        return Measurement(engine, False, wall_seconds=wall, error=reason, warnings=warnings)
    report = json.loads(export.read_text())
    result = report["benchmark_result"]
    return Measurement(
        engine, True,
        items_per_sec=result["items_per_sec"], median_ms=result["median"], mean_ms=result["mean"],
        p90_ms=result.get("90.0%"), iterations=result["iterations"], wall_seconds=wall,
        warnings=warnings, export=str(export), details=engine_details(engine, report, output),
    )


def engine_details(engine: str, report: dict[str, Any], output: str) -> dict[str, Any]:
    """What each engine says about itself: version, ISA, sparse layers."""
    details: dict[str, Any] = {"version": report.get("version")}
    if engine == "zoo":
        extra = report.get("zoo", {})
        for key in ("isa", "gemm_kernel", "spmm_kernel", "weight_layers", "sparse_layers", "weight_sparsity"):
            details[key] = extra.get(key)
    elif engine == "ds":
        details["fraction_of_supported_ops"] = report.get("fraction_of_supported_ops")
        banner = re.search(r"DeepSparse, Copyright.*", output)
        if banner:
            details["banner"] = banner.group(0).strip()
    else:
        details["engine"] = report.get("engine")
    return details


def measure(engine: str, model: Path, batch: int, settings: Settings, tools: Tools, out: Path, tag: str) -> Measurement:
    """One measurement of `engine` ("zoo", "ort" or "ds"); files go to out/tag.ENGINE.{json,log}."""
    export, log = out / f"{tag}.{engine}.json", out / f"{tag}.{engine}.log"
    common = ["-b", str(batch), "-ncores", str(settings.cores), "-t", f"{settings.seconds:g}",
              "-w", f"{settings.warmup:g}", "-x", str(export), "-q"]
    timeout = settings.seconds + settings.warmup + SLACK_SECONDS
    if engine == "zoo":
        command = [str(tools.zoo), "bench", str(model), "-s", "sync", *common]
        return execute(engine, command, export, log, timeout)
    if engine == "ort":
        command = [str(tools.ort_python), str(HARNESS / "ort_benchmark.py"), str(model), *common]
        return execute(engine, command, export, log, timeout)
    if engine == "ds":
        command = [str(tools.deepsparse_bin / "deepsparse.benchmark"), str(model), "-s", "sync", *common]
        return execute(engine, command, export, log, timeout, env=deepsparse_env())
    raise ValueError(f"unknown engine {engine!r}")


def deepsparse_env() -> dict[str, str]:
    """The environment DeepSparse runs in: analytics off (design.md), everything else as given."""
    return {**os.environ, "NM_DISABLE_ANALYTICS": "1"}


def deepsparse_analysis(model: Path, batch: int, cores: int, tools: Tools, out: Path, tag: str) -> dict[str, Any]:
    """Which layers DeepSparse runs on sparse kernels: one `deepsparse.debug_analysis` run, summarised.

    Its per-layer table names each layer by the kernel that runs it: `ks_convolution-89.8%_3`, `ks_gemm_hyb-…`,
    `ks_gevm_be-…` are kernel-sparse ("ks") layers with the weight sparsity DeepSparse measured; `pyramid_N` are
    fused groups of layers (tensor columns) whose kernels it does not itemise; `Naive Subgraph N` are the parts
    that its optimised runtime does not run. Returns counts, the mean sparsity of the ks layers, or the error.
    """
    export, log = out / f"{tag}.ds-analysis.json", out / f"{tag}.ds-analysis.log"
    command = [str(tools.deepsparse_bin / "deepsparse.debug_analysis"), str(model), "-ncores", str(cores),
               "-b", str(batch), "-wi", "1", "-bi", "2", "-x", str(export), "-q"]
    export.unlink(missing_ok=True)
    try:
        done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              timeout=SLACK_SECONDS, env=deepsparse_env())
    except subprocess.TimeoutExpired:
        return {"error": f"deepsparse.debug_analysis timed out after {SLACK_SECONDS} s"}
    log.write_text("$ " + " ".join(command) + "\n" + done.stdout)
    if done.returncode != 0 or not export.exists():
        return {"error": failure_reason(done.stdout, done.returncode)}
    return summarise_analysis(json.loads(export.read_text()))


def summarise_analysis(analysis: dict[str, Any]) -> dict[str, Any]:
    """Counts of DeepSparse's layer kinds in a debug_analysis export, and its sparse layers' sparsity."""
    kinds: Counter[str] = Counter()
    sparse: list[tuple[str, float, list[int]]] = []

    def walk(layers: list[dict[str, Any]]) -> None:
        for layer in layers:
            name = layer["name"]
            if name.startswith("Naive Subgraph"):
                kinds["naive_subgraph"] += 1
            else:
                kind = re.sub(r"(-[\d.]+%)?_\d+$", "", name)
                kinds[kind] += 1
                if kind.startswith("ks_"):
                    sparse.append((name, layer.get("kernel_sparsity", 0.0), list(layer.get("kernel_dims", {}).values())))
            walk(layer.get("sub_layer_info", []))

    walk(analysis.get("layer_info", []))
    sparsities = [s for _, s, _ in sparse]
    return {
        "layer_kinds": dict(kinds),
        "sparse_layers": len(sparse),
        "sparse_layer_mean_sparsity": sum(sparsities) / len(sparsities) if sparsities else None,
        "fused_groups": kinds.get("pyramid", 0),
        "naive_subgraphs": kinds.get("naive_subgraph", 0),
        "sparse_kernels": sorted({re.sub(r"-[\d.]+%_\d+$", "", n) for n, _, _ in sparse}),
    }


def version_of(python: Path, package: str) -> str | None:
    """An installed package's version in another Python environment, or None."""
    try:
        done = subprocess.run([str(python), "-c", f"import importlib.metadata as m; print(m.version({package!r}))"],
                              capture_output=True, text=True, timeout=60)
    except OSError:
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def log_line(text: str) -> None:
    print(text, file=sys.stderr, flush=True)
