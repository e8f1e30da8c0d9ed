"""MobileNet v1 (width 1.0), 224x224: a 3x3 stem and 13 depthwise-separable blocks.

Each block is a depthwise 3x3 Conv (group = channels) and a pointwise 1x1 Conv, each
followed by BatchNormalization and Relu. Input `input` [batch, 3, 224, 224], output
`output` [batch, 1000].
"""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto

from . import layers as L
from .graph import GraphBuilder

OPSET = 13
# (output channels, stride) of each depthwise-separable block.
BLOCKS = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2)] + [(512, 1)] * 5 + [(1024, 2), (1024, 1)]


def conv_bn_relu(b: GraphBuilder, x: str, module: str, cin: int, cout: int, k: int, stride: int, group: int = 1) -> str:
    """Conv (no bias), BatchNormalization, Relu, as `<module>.0/.1/.2` of a Sequential."""
    y = L.conv(b, x, f"{module}.0", cin, cout, k, stride, group=group)
    return L.relu(b, L.batch_norm(b, y, f"{module}.1", cout), f"{module}.2")


def build(rng: np.random.Generator) -> onnx.ModelProto:
    """Build MobileNet v1 with random weights drawn from `rng`."""
    b = GraphBuilder(rng)
    x = b.input("input", TensorProto.FLOAT, ["batch", 3, 224, 224])
    x = conv_bn_relu(b, x, "model.0", 3, 32, 3, 2)
    cin = 32
    for i, (cout, stride) in enumerate(BLOCKS, start=1):
        x = conv_bn_relu(b, x, f"model.{i}.depthwise", cin, cin, 3, stride, group=cin)
        x = conv_bn_relu(b, x, f"model.{i}.pointwise", cin, cout, 1, 1)
        cin = cout
    x = b.node("GlobalAveragePool", [x], "/avgpool")
    x = b.node("Flatten", [x], "", axis=1)
    b.output(L.gemm(b, x, "fc", cin, 1000), "output", ["batch", 1000])
    return b.model("torch_jit", OPSET)
