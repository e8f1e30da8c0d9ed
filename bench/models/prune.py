"""Magnitude pruning of an ONNX model's Conv, Gemm and MatMul weights: unstructured, or in blocks of 4.

Every prunable weight tensor is pruned to the same sparsity: its smallest-magnitude
entries are set to zero, or (`block=4`) its blocks of 4 consecutive input channels (4 entries along the
reduction axis for one output: SparseML's 4-block "[1, 4]" mask, one VNNI dword) with the smallest L2 norms. Not pruned: the first Conv (it sees the raw image), grouped
(depthwise) Convs, embeddings (Gather tables), biases and normalisation parameters.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import onnx
from onnx import numpy_helper


def prunable_weights(model: onnx.ModelProto) -> list[str]:
    """Names of the initializers that pruning applies to, in graph order."""
    initializers = {i.name for i in model.graph.initializer}
    names: list[str] = []
    seen_conv = False
    for node in model.graph.node:
        if node.op_type == "Conv":
            first, seen_conv = not seen_conv, True
            group = next((a.i for a in node.attribute if a.name == "group"), 1)
            candidates = [] if first or group > 1 else [node.input[1]]
        elif node.op_type == "Gemm":
            candidates = [node.input[1]]
        elif node.op_type == "MatMul":
            candidates = list(node.input[:2])
        else:
            continue
        names += [c for c in candidates if c in initializers and c not in names]
    return names


def reduction_axes(model: onnx.ModelProto) -> dict[str, int]:
    """Per prunable weight, the axis its layer sums over: a Conv's input channels (1), a MatMul weight's rows (0),
    a Gemm's B along K (1 with transB, else 0)."""
    axes: dict[str, int] = {}
    for node in model.graph.node:
        if node.op_type == "Conv":
            axes.setdefault(node.input[1], 1)
        elif node.op_type == "Gemm":
            trans_b = next((a.i for a in node.attribute if a.name == "transB"), 0)
            axes.setdefault(node.input[1], 1 if trans_b else 0)
        elif node.op_type == "MatMul":
            axes.setdefault(node.input[1], 0)
            axes.setdefault(node.input[0], 1)
    return axes


def block_scores(weights: np.ndarray, axis: int, block: int) -> np.ndarray:
    """Each entry's block L2 norm: blocks of `block` consecutive entries along `axis` (the last one may be shorter)."""
    moved = np.moveaxis(np.abs(weights), axis, -1)
    length = moved.shape[-1]
    padded = np.zeros(moved.shape[:-1] + (-(-length // block) * block,), dtype=np.float64)
    padded[..., :length] = moved.astype(np.float64) ** 2
    norms = np.sqrt(padded.reshape(moved.shape[:-1] + (-1, block)).sum(axis=-1))
    return np.moveaxis(np.repeat(norms, block, axis=-1)[..., :length], -1, axis)


def prune(model: onnx.ModelProto, sparsity: float, block: int = 1) -> None:
    """Zero the `sparsity` fraction of each prunable weight, in place: its smallest-magnitude entries, or with
    `block` > 1 its blocks along the reduction axis with the smallest norms."""
    targets = set(prunable_weights(model))
    axes = reduction_axes(model)
    for tensor in model.graph.initializer:
        if tensor.name not in targets:
            continue
        weights = numpy_helper.to_array(tensor).copy()
        flat = weights.reshape(-1)
        scores = (block_scores(weights, axes[tensor.name], block) if block > 1 else np.abs(weights)).reshape(-1)
        count = int(round(sparsity * flat.size))
        if count > 0:
            # A stable sort keeps a block's entries together: they share one score.
            flat[np.argsort(scores, kind="stable")[:count]] = 0
        tensor.CopyFrom(numpy_helper.from_array(weights, tensor.name))


def sparsity_report(model: onnx.ModelProto) -> dict[str, Any]:
    """Measured zeros: per prunable weight, over all prunable weights, over all float weights."""
    targets = set(prunable_weights(model))
    per_weight: dict[str, float] = {}
    prunable = [0, 0]  # zeros, entries
    total = [0, 0]
    for tensor in model.graph.initializer:
        if tensor.data_type != onnx.TensorProto.FLOAT:
            continue
        values = numpy_helper.to_array(tensor)
        zeros = int(values.size - np.count_nonzero(values))
        total[0] += zeros
        total[1] += values.size
        if tensor.name in targets:
            per_weight[tensor.name] = round(zeros / values.size, 6)
            prunable[0] += zeros
            prunable[1] += values.size
    return {
        "parameters": total[1],
        "prunable_parameters": prunable[1],
        "prunable_sparsity": round(prunable[0] / max(prunable[1], 1), 6),
        "overall_sparsity": round(total[0] / max(total[1], 1), 6),
        "weights": per_weight,
    }
