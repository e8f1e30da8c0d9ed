"""Unstructured magnitude pruning of an ONNX model's Conv, Gemm and MatMul weights.

Every prunable weight tensor is pruned to the same sparsity: its smallest-magnitude
entries are set to zero. Not pruned: the first Conv (it sees the raw image), grouped
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


def prune(model: onnx.ModelProto, sparsity: float) -> None:
    """Zero the `sparsity` fraction of smallest-magnitude entries of each prunable weight, in place."""
    targets = set(prunable_weights(model))
    for tensor in model.graph.initializer:
        if tensor.name not in targets:
            continue
        weights = numpy_helper.to_array(tensor).copy()
        flat = weights.reshape(-1)
        count = int(round(sparsity * flat.size))
        if count > 0:
            flat[np.argpartition(np.abs(flat), count - 1)[:count]] = 0
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
