"""The reference workloads, their bars, and the models behind them.

A workload is a model variant of bench/make_models.py (`resnet50`, `resnet50-pruned90`, …) at one batch size.
Models are generated once into a cache directory (default .build/models) and reused: the weights of a variant
depend only on make_models.py's seed and the family's name.
"""

from __future__ import annotations

import fnmatch
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

BENCH = Path(__file__).resolve().parent.parent

# Issue 5 / design.md "Reference workloads": variant → default batch sizes.
REFERENCE: dict[str, tuple[int, ...]] = {
    "resnet50": (1, 16),
    "resnet50-pruned90": (1, 16),
    "resnet50-pruned95": (1, 16),
    "distilbert": (1,),
    "distilbert-pruned80": (1,),
    # The same network as torch.onnx writes it at opset 14 (layer norms as primitive ops), the form DeepSparse
    # runs entirely in its optimised runtime; it leaves the opset-17 LayerNormalization nodes to its fallback.
    "distilbert-opset14": (1,),
    "distilbert-opset14-pruned80": (1,),
    "yolov5s": (1,),
    "yolov5s-pruned90": (1,),
    "mobilenet_v1": (1,),
    "mobilenet_v1-pruned90": (1,),
    # INT8 (issue 8): the FP32 models (pruned first) quantized by ONNX Runtime's static quantizer, QDQ format.
    "resnet50-int8": (1, 16),
    "resnet50-int8-pruned90": (1, 16),
    "distilbert-int8": (1,),
    "distilbert-int8-pruned80": (1,),
    # Pruned in blocks of 4 input channels before quantization, as SparseML's pruned-quantized models are.
    "resnet50-int8-4block-pruned90": (1, 16),
    "distilbert-int8-4block-pruned80": (1,),
}


@dataclass(frozen=True)
class Workload:
    """One model variant at one batch size."""

    variant: str
    batch: int

    @property
    def family(self) -> str:
        return self.variant.partition("-pruned")[0]

    @property
    def sparsity(self) -> float:
        """The target sparsity of the variant's name: 0.9 for `resnet50-pruned90`, 0 for dense."""
        pruned = self.variant.partition("-pruned")[2]
        return int(pruned) / 100 if pruned else 0.0

    @property
    def key(self) -> str:
        return f"{self.variant}:{self.batch}"


@dataclass(frozen=True)
class Bar:
    """One bar of issue 5 or 8: zoo's `metric` against `peer`'s on one workload.

    metric "throughput": zoo items/s ÷ peer items/s must be ≥ threshold;
    metric "latency": zoo median ms ÷ peer median ms must be ≤ threshold.
    With `peer_variant`, the peer runs that other model at the same batch (a pruned model against the dense one).
    """

    variant: str
    batch: int
    peer: str  # "ort" or "ds"
    metric: str  # "throughput" or "latency"
    threshold: float
    peer_variant: str | None = None

    @property
    def peer_key(self) -> str:
        return f"{self.peer_variant or self.variant}:{self.batch}"

    @property
    def key(self) -> str:
        return f"{self.variant}:{self.batch}"

    def describe(self) -> str:
        peer = {"ort": "ONNX Runtime", "ds": "DeepSparse"}[self.peer]
        if self.peer_variant:
            peer += f" on {self.peer_variant}"
        if self.metric == "throughput":
            return f"{self.variant} b{self.batch}: zoo throughput ≥ {self.threshold:g}× {peer}'s"
        return f"{self.variant} b{self.batch}: zoo latency ≤ {self.threshold:g}× {peer}'s"

    def passes(self, ratio: float) -> bool:
        return ratio >= self.threshold if self.metric == "throughput" else ratio <= self.threshold


# Issue 5, "Bars (2 cores here, medians, same run)"; DistilBERT's also on its opset-14 form (see REFERENCE).
BARS: list[Bar] = [
    Bar("resnet50", 1, "ort", "throughput", 1.0),
    Bar("resnet50", 16, "ort", "throughput", 1.0),
    Bar("distilbert", 1, "ort", "throughput", 1.0),
    Bar("yolov5s", 1, "ort", "throughput", 1.0),
    Bar("resnet50-pruned90", 16, "ds", "throughput", 1.5),
    Bar("resnet50-pruned90", 1, "ds", "latency", 0.7),
    Bar("resnet50-pruned95", 16, "ds", "throughput", 1.5),
    Bar("resnet50-pruned95", 1, "ds", "latency", 0.7),
    Bar("distilbert-pruned80", 1, "ds", "latency", 0.7),
    Bar("distilbert-opset14", 1, "ort", "throughput", 1.0),
    Bar("distilbert-opset14-pruned80", 1, "ds", "latency", 0.7),
    # Issue 8: dense INT8 against ONNX Runtime's INT8.
    Bar("resnet50-int8", 1, "ort", "throughput", 1.0),
    Bar("resnet50-int8", 16, "ort", "throughput", 1.0),
    Bar("distilbert-int8", 1, "ort", "throughput", 1.0),
    Bar("distilbert-int8-pruned80", 1, "ort", "throughput", 1.0),
    # Issue 8: pruned INT8 against ONNX Runtime's dense INT8, unstructured and in SparseML's 4-block pattern.
    Bar("resnet50-int8-pruned90", 16, "ort", "throughput", 2.0, peer_variant="resnet50-int8"),
    Bar("resnet50-int8-4block-pruned90", 16, "ort", "throughput", 2.0, peer_variant="resnet50-int8"),
]


def parse_batches(text: str) -> tuple[int, ...]:
    """`1,16` → (1, 16); every batch size must be positive."""
    batches = tuple(int(b) for b in text.replace(":", ",").split(",") if b)
    if not batches or any(b < 1 for b in batches):
        raise ValueError(f"batch sizes must be positive integers, got {text!r}")
    return batches


def select(only: Iterable[str] | None, batches: tuple[int, ...] | None) -> list[Workload]:
    """The workloads to run, in the order of REFERENCE (then of `only`).

    `only` holds `PATTERN[:B[:B…]]` items: PATTERN is a variant name or an fnmatch pattern over the reference
    variants (`resnet50*`); a name outside the reference list is accepted if make_models.py can build it
    (`resnet50-pruned80`, batch 1 unless given). `batches` replaces the default batch sizes of items that do not
    name their own.
    """
    chosen: dict[str, tuple[int, ...]] = {}
    for item in only or list(REFERENCE):
        pattern, _, own = item.partition(":")
        names = [v for v in REFERENCE if fnmatch.fnmatchcase(v, pattern)] or [pattern]
        for name in names:
            family = name.partition("-pruned")[0]
            pruned = name.partition("-pruned")[2]
            if not family or (pruned and not pruned.isdigit()):
                raise ValueError(f"{name!r} is not a model variant (FAMILY or FAMILY-prunedNN)")
            chosen[name] = parse_batches(own) if own else (batches or REFERENCE.get(name, (1,)))
    return [Workload(name, b) for name, bs in chosen.items() for b in bs]


def model_path(cache: Path, variant: str) -> Path:
    return cache / variant / "model.onnx"


def ensure_models(variants: Iterable[str], cache: Path, python: str = sys.executable) -> dict[str, Path]:
    """Every variant's model.onnx, generating the missing ones with make_models.py (one call per family)."""
    variants = list(dict.fromkeys(variants))
    missing: dict[str, list[str]] = defaultdict(list)
    for variant in variants:
        if not model_path(cache, variant).exists():
            workload = Workload(variant, 1)
            missing[workload.family].append(f"{workload.sparsity:g}")
    for family, sparsities in missing.items():
        print(f"building {family} (sparsity {', '.join(sparsities)}) into {cache} …", file=sys.stderr)
        subprocess.run(
            [python, str(BENCH / "make_models.py"), "--out", str(cache), "--only", family, "--prune", ",".join(sparsities)],
            check=True, stdout=sys.stderr,
        )
    paths = {v: model_path(cache, v) for v in variants}
    for variant, path in paths.items():
        if not path.exists():
            raise SystemExit(f"make_models.py did not write {path}; is {variant!r} a known variant?")
    return paths
