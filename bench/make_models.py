#!/usr/bin/env python3
"""Generate the reference benchmark models: random weights, valid ONNX, fixed seed.

Usage: make_models.py --out DIR [--only NAME[,NAME...]] [--prune S[,S...]] [--seed N]

For each family (resnet50, mobilenet_v1, distilbert, yolov5s, and each one's INT8 form, e.g. resnet50-int8)
and each sparsity S in --prune (0 = dense, the default), writes

    DIR/<family>[-pruned<100*S>]/model.onnx
    DIR/<family>[-pruned<100*S>]/model.json   (family, opset, inputs, measured sparsity)

and prints one line per model. The weights of a family depend only on --seed and the
family's name, so pruned variants share the dense model's weights and `--only` gives
the same files as a full run. An INT8 family (`FAMILY-int8`) is FAMILY's model, pruned, then quantized by ONNX
Runtime's static quantizer (QDQ, per-channel int8 weights, uint8 activations; bench/models/quantize.py).
`FAMILY-int8-4block` is the same with pruning in blocks of 4 input channels, the pattern of SparseML's
pruned-quantized ("-vnni", ".4block") models.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import zlib
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import onnx

from models import FAMILIES
from models.prune import prune, sparsity_report
from models.quantize import quantize

INT8_SUFFIX = "-int8"
BLOCK4_SUFFIX = "-int8-4block"


def base_family(family: str) -> str:
    """The FP32 family an INT8 family quantizes: `resnet50` for `resnet50-int8` and `resnet50-int8-4block`."""
    return family.removesuffix(BLOCK4_SUFFIX).removesuffix(INT8_SUFFIX)


def pruning_block(family: str) -> int:
    """Entries per pruned block: 4 for a `-int8-4block` family, else 1 (unstructured)."""
    return 4 if family.endswith(BLOCK4_SUFFIX) else 1


def variant_name(family: str, sparsity: float) -> str:
    """`resnet50` for dense, `resnet50-pruned90` for sparsity 0.9."""
    return family if sparsity == 0 else f"{family}-pruned{round(sparsity * 100):g}"


def dims(value: onnx.ValueInfoProto) -> list[int | str]:
    """A value's shape, symbolic dimensions as their names."""
    return [d.dim_param or d.dim_value for d in value.type.tensor_type.shape.dim]


def describe(model: onnx.ModelProto, family: str, sparsity: float, seed: int) -> dict[str, Any]:
    """The model.json document for one generated model."""
    return {
        "family": family,
        "target_sparsity": sparsity,
        "seed": seed,
        "opset": model.opset_import[0].version,
        "inputs": {v.name: dims(v) for v in model.graph.input},
        "outputs": {v.name: dims(v) for v in model.graph.output},
        **sparsity_report(model),
    }


def write(model: onnx.ModelProto, info: dict[str, Any], out_dir: Path) -> int:
    """Write model.onnx and model.json into out_dir; return the model's size in bytes."""
    out_dir.mkdir(parents=True, exist_ok=True)
    data = model.SerializeToString()
    (out_dir / "model.onnx").write_bytes(data)
    (out_dir / "model.json").write_text(json.dumps(info, indent=1) + "\n")
    return len(data)


def parse_list(text: str, kind: type) -> list:
    """Parse a comma-separated list."""
    return [kind(item) for item in text.split(",") if item]


def main(argv: Sequence[str] | None = None) -> int:
    """Generate the requested models."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="output directory")
    parser.add_argument("--only", type=lambda s: parse_list(s, str), default=list(FAMILIES), help="families to build (comma-separated)")
    parser.add_argument("--prune", type=lambda s: parse_list(s, float), default=[0.0], help="sparsities to write, 0 = dense (comma-separated)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    unknown = [f for f in args.only if base_family(f) not in FAMILIES]
    if unknown:
        parser.error(f"unknown family {', '.join(unknown)}; known: {', '.join(FAMILIES)}, each also as FAMILY{INT8_SUFFIX} "
                     f"and FAMILY{BLOCK4_SUFFIX}")
    if not all(0 <= s < 1 for s in args.prune):
        parser.error("--prune takes fractions in [0, 1), e.g. 0.9")

    for family in args.only:
        start = time.perf_counter()
        base = base_family(family)
        dense = FAMILIES[base](np.random.default_rng([args.seed, zlib.crc32(base.encode())]))
        for sparsity in args.prune:
            model = dense
            if sparsity > 0:
                model = onnx.ModelProto()
                model.CopyFrom(dense)
                prune(model, sparsity, pruning_block(family))
            info = describe(model, family, sparsity, args.seed)
            if family != base:
                model = quantize(model, np.random.default_rng([args.seed, zlib.crc32(family.encode())]))
                info["quantization"] = "QDQ: per-channel int8 weights, uint8 activations (onnxruntime quantize_static)"
            name = variant_name(family, sparsity)
            size = write(model, info, args.out / name)
            print(
                f"{name:22s} {info['parameters'] / 1e6:6.2f} M params {size / 2**20:7.1f} MiB  "
                f"sparsity: prunable {info['prunable_sparsity']:.4f}, overall {info['overall_sparsity']:.4f}  "
                f"({time.perf_counter() - start:.1f} s)"
            )
            start = time.perf_counter()
    return 0


if __name__ == "__main__":
    sys.exit(main())
