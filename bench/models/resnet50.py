"""ResNet-50 v1.5 (torchvision layout), 224x224, with BatchNormalization left unfolded.

Bottleneck blocks put the stride on the 3x3 convolution (v1.5); the first block of each
stage has a 1x1 projection shortcut. Input `input` [batch, 3, 224, 224], output `output`
[batch, 1000].
"""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto

from . import layers as L
from .graph import GraphBuilder

OPSET = 13
STAGES = [(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)]  # (width, blocks, stride)
EXPANSION = 4


def conv_bn(b: GraphBuilder, x: str, module: str, bn: str, cin: int, cout: int, k: int, stride: int = 1, gamma: float = 1.0) -> str:
    """Conv (no bias) followed by its BatchNormalization."""
    return L.batch_norm(b, L.conv(b, x, module, cin, cout, k, stride), bn, cout, gamma)


def bottleneck(b: GraphBuilder, x: str, module: str, cin: int, width: int, stride: int) -> str:
    """One bottleneck block: 1x1 -> 3x3 (stride) -> 1x1, residual Add, Relu."""
    cout = width * EXPANSION
    y = L.relu(b, conv_bn(b, x, f"{module}.conv1", f"{module}.bn1", cin, width, 1), f"{module}.relu")
    y = L.relu(b, conv_bn(b, y, f"{module}.conv2", f"{module}.bn2", width, width, 3, stride), f"{module}.relu")
    y = conv_bn(b, y, f"{module}.conv3", f"{module}.bn3", width, cout, 1, gamma=0.2)
    if stride != 1 or cin != cout:
        x = conv_bn(b, x, f"{module}.downsample.0", f"{module}.downsample.1", cin, cout, 1, stride)
    return L.relu(b, b.node("Add", [y, x], L.scope(module)), f"{module}.relu")


def build(rng: np.random.Generator) -> onnx.ModelProto:
    """Build ResNet-50 with random weights drawn from `rng`."""
    b = GraphBuilder(rng)
    x = b.input("input", TensorProto.FLOAT, ["batch", 3, 224, 224])
    x = L.relu(b, conv_bn(b, x, "conv1", "bn1", 3, 64, 7, 2), "relu")
    x = b.node("MaxPool", [x], "/maxpool", kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[2, 2], ceil_mode=0)
    cin = 64
    for stage, (width, blocks, stride) in enumerate(STAGES, start=1):
        for i in range(blocks):
            x = bottleneck(b, x, f"layer{stage}.{i}", cin, width, stride if i == 0 else 1)
            cin = width * EXPANSION
    x = b.node("GlobalAveragePool", [x], "/avgpool")
    x = b.node("Flatten", [x], "", axis=1)
    b.output(L.gemm(b, x, "fc", cin, 1000), "output", ["batch", 1000])
    return b.model("torch_jit", OPSET)
