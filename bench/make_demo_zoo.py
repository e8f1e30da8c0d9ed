#!/usr/bin/env python3
"""Build the demo zoo that `make demo` serves: a static registry of synthetic models in SparseZoo's layout.

Usage: make_demo_zoo.py OUT_DIR [--models CACHE_DIR] [--samples N]

Writes, for a ResNet-50-shaped model with random weights, dense and pruned 90 % (bench/make_models.py):

    OUT_DIR/models/zoo-demo/<repo_name>/model.onnx
                                        deployment.tar.gz       deployment/model.onnx
                                        sample-inputs.tar.gz    inp-0000.npz … (no batch dimension)
                                        sample-outputs.tar.gz   out-0000.npz … computed by ONNX Runtime
                                        recipe.md, model.md
    OUT_DIR/index.json                  the zoo catalog format: stubs, sizes, sha256, relative URLs

The stubs are in the `zoo-demo` namespace and marked synthetic: they are not SparseZoo models.
Deterministic for a given seed; a second run over an existing OUT_DIR rewrites it.
"""
import argparse
import hashlib
import io
import json
import subprocess
import sys
import tarfile
from pathlib import Path

import numpy as np
import onnxruntime as ort

NAMESPACE = "zoo-demo"
MODELS = [
    # (make_models.py variant, stub, repo_name, sparse tag description)
    ("resnet50", "zoo:cv/classification/resnet_v1-50/pytorch/zoodemo/synthetic/base-none", "resnet_v1-50-synthetic-base", "dense"),
    ("resnet50-pruned90", "zoo:cv/classification/resnet_v1-50/pytorch/zoodemo/synthetic/pruned90-none", "resnet_v1-50-synthetic-pruned90", "90 % of weights zero (unstructured, by magnitude; first conv dense)"),
]
RECIPE = """---
version: 1.1.0
# A demo recipe: gradual magnitude pruning to {sparsity} over 10 epochs (SparseML's modifier syntax).
modifiers:
  - !GMPruningModifier
    init_sparsity: 0.05
    final_sparsity: {sparsity}
    start_epoch: 0.0
    end_epoch: 10.0
    update_frequency: 0.5
    params: __ALL_PRUNABLE__
---
# Demo recipe
Synthetic: the weights are random; only the zero pattern matters for speed.
"""


def tar_gz(members):
    """A .tar.gz of (name, bytes) members, with fixed metadata so the bytes depend only on the content."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", format=tarfile.PAX_FORMAT) as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), 0, 0o644
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def npz(arrays):
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def samples(model_path, count, seed):
    """Sample inputs without the batch dimension and ONNX Runtime's outputs for them."""
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    session = ort.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(seed)
    inputs, outputs = [], []
    for _ in range(count):
        feed = {}
        for value in session.get_inputs():
            shape = [d if isinstance(d, int) else 1 for d in value.shape]
            feed[value.name] = rng.standard_normal(shape).astype(np.float32)
        result = session.run(None, feed)
        inputs.append({k: v[0] for k, v in feed.items()})
        outputs.append({o.name: r[0] for o, r in zip(session.get_outputs(), result)})
    return inputs, outputs


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--models", type=Path, default=Path(".build/models"), help="where make_models.py caches models")
    parser.add_argument("--samples", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    variants = [m[0] for m in MODELS]
    if not all((args.models / v / "model.onnx").exists() for v in variants):
        subprocess.run([sys.executable, str(Path(__file__).with_name("make_models.py")), "--out", str(args.models),
                        "--only", "resnet50", "--prune", "0,0.9", "--seed", str(args.seed)], check=True, stdout=subprocess.DEVNULL)
    entries = []
    for variant, stub, repo_name, description in MODELS:
        source = args.models / variant / "model.onnx"
        onnx_bytes = source.read_bytes()
        inputs, outputs = samples(source, args.samples, args.seed)
        sparsity = "0.9" if "pruned90" in variant else "0.0"
        files = {
            "model.onnx": onnx_bytes,
            "deployment.tar.gz": tar_gz([("deployment/model.onnx", onnx_bytes)]),
            "sample-inputs.tar.gz": tar_gz([(f"sample-inputs/inp-{i:04d}.npz", npz(a)) for i, a in enumerate(inputs)]),
            "sample-outputs.tar.gz": tar_gz([(f"sample-outputs/out-{i:04d}.npz", npz(a)) for i, a in enumerate(outputs)]),
            "recipe.md": RECIPE.format(sparsity=sparsity).encode(),
            "model.md": f"---\ndomain: cv\nsub_domain: classification\n---\n# {repo_name}\nSynthetic ResNet-50 (random weights), {description}.\n".encode(),
        }
        directory = args.out / "models" / NAMESPACE / repo_name
        directory.mkdir(parents=True, exist_ok=True)
        listed = []
        for name, data in sorted(files.items()):
            (directory / name).write_bytes(data)
            listed.append({"name": name, "url": f"models/{NAMESPACE}/{repo_name}/{name}", "size": len(data),
                           "sha256": hashlib.sha256(data).hexdigest()})
        entries.append({"stub": stub, "namespace": NAMESPACE, "repo_name": repo_name, "synthetic": True,
                        "display_name": f"Demo ResNet-50 ({description})",
                        "description": "Random weights, made by bench/make_demo_zoo.py for `make demo`.", "files": listed})
        print(f"{stub}  {sum(len(d) for d in files.values()) / 1e6:.1f} MB")
    index = {"format": "zoo-catalog", "version": 1, "name": "zoo demo", "models": entries}
    (args.out / "index.json").write_text(json.dumps(index, indent=2) + "\n")


if __name__ == "__main__":
    main()
