"""YOLOv5s (v6 layout, depth 0.33, width 0.50), 640x640, as ultralytics exports it.

BatchNorm is folded into the convolutions (biased Conv), activations are SiLU
(Sigmoid + Mul). Backbone: a 6x6 stride-2 stem, strided 3x3 Convs, C3 blocks (two 1x1
branches, bottlenecks, Concat, 1x1), SPPF (three chained 5x5 MaxPools, Concat). Neck:
nearest Resize x2 (scales input), Concat with backbone features, C3 without shortcuts,
strided 3x3 Convs back down. Detect: per level a 1x1 Conv to 3 x 85 channels, Reshape
and Transpose to [batch, 3, ny, nx, 85], Sigmoid, box decoding with grid and anchor
constants, Reshape to [batch, 3*ny*nx, 85]; the three levels are Concatenated.
Input `images` [batch, 3, 640, 640], output `output0` [batch, 25200, 85].
"""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto

from . import layers as L
from .graph import GraphBuilder

OPSET = 13
SIZE = 640
CLASSES = 80
OUTPUTS = CLASSES + 5
ANCHORS = {8: [(10, 13), (16, 30), (33, 23)], 16: [(30, 61), (62, 45), (59, 119)], 32: [(116, 90), (156, 198), (373, 326)]}


def conv(b: GraphBuilder, x: str, module: str, cin: int, cout: int, k: int, stride: int = 1, padding: int | None = None) -> str:
    """Conv with folded BatchNorm (so with a bias), then SiLU."""
    y = L.conv(b, x, f"{module}.conv", cin, cout, k, stride, padding, bias=True)
    return L.silu(b, y, f"{module}.act")


def c3(b: GraphBuilder, x: str, module: str, cin: int, cout: int, n: int, shortcut: bool = True) -> str:
    """C3: two 1x1 branches, n bottlenecks on the first, Concat, 1x1 to cout."""
    hidden = cout // 2
    y = conv(b, x, f"{module}.cv1", cin, hidden, 1)
    for i in range(n):
        z = conv(b, conv(b, y, f"{module}.m.{i}.cv1", hidden, hidden, 1), f"{module}.m.{i}.cv2", hidden, hidden, 3)
        y = b.node("Add", [y, z], L.scope(f"{module}.m.{i}")) if shortcut else z
    both = b.node("Concat", [y, conv(b, x, f"{module}.cv2", cin, hidden, 1)], L.scope(module), axis=1)
    return conv(b, both, f"{module}.cv3", 2 * hidden, cout, 1)


def sppf(b: GraphBuilder, x: str, module: str, cin: int, cout: int) -> str:
    """SPPF: 1x1, three chained 5x5 stride-1 MaxPools, Concat of all four, 1x1."""
    hidden = cin // 2
    pooled = [conv(b, x, f"{module}.cv1", cin, hidden, 1)]
    for _ in range(3):
        pooled.append(b.node("MaxPool", [pooled[-1]], L.scope(f"{module}.m"), kernel_shape=[5, 5], pads=[2, 2, 2, 2], strides=[1, 1], ceil_mode=0))
    return conv(b, b.node("Concat", pooled, L.scope(module), axis=1), f"{module}.cv2", 4 * hidden, cout, 1)


def upsample(b: GraphBuilder, x: str, module: str) -> str:
    """nn.Upsample(scale_factor=2, mode='nearest') as Resize with a scales input."""
    scales = b.constant(np.array([1, 1, 2, 2], np.float32), "Resize")
    return b.node("Resize", [x, "", scales], L.scope(module), coordinate_transformation_mode="asymmetric", cubic_coeff_a=-0.75, mode="nearest", nearest_mode="floor")


def detect_level(b: GraphBuilder, x: str, i: int, cin: int, stride: int) -> str:
    """One Detect level: 1x1 Conv, reshape to [batch, 3, ny, nx, 85], decode boxes, flatten."""
    module, n = "model.24", SIZE // stride
    s = L.scope(f"{module}.{i}")
    y = L.conv(b, x, f"{module}.m.{i}", cin, 3 * OUTPUTS, 1, bias=True)
    y = b.node("Reshape", [y, b.constant([-1, 3, OUTPUTS, n, n], "Reshape")], s)
    y = b.node("Sigmoid", [b.node("Transpose", [y], s, perm=[0, 1, 3, 4, 2])], s)
    xy, wh, conf = b.node("Split", [y, b.constant([2, 2, OUTPUTS - 4], "Split")], s, outputs=3, axis=4)
    yv, xv = np.meshgrid(np.arange(n, dtype=np.float32), np.arange(n, dtype=np.float32), indexing="ij")
    grid = np.broadcast_to(np.stack([xv, yv], axis=-1) - 0.5, (1, 3, n, n, 2))
    anchors = np.array(ANCHORS[stride], np.float32).reshape(1, 3, 1, 1, 2)
    anchor_grid = np.broadcast_to(anchors, (1, 3, n, n, 2))
    two = b.constant(2.0, "Mul")
    xy = b.node("Mul", [b.node("Add", [b.node("Mul", [xy, two], s), b.constant(grid, "Add")], s), b.constant(float(stride), "Mul")], s)
    wh = b.node("Mul", [b.node("Pow", [b.node("Mul", [wh, two], s), b.constant(2.0, "Pow")], s), b.constant(anchor_grid, "Mul")], s)
    y = b.node("Concat", [xy, wh, conf], s, axis=4)
    return b.node("Reshape", [y, b.constant([-1, 3 * n * n, OUTPUTS], "Reshape")], s)


def build(rng: np.random.Generator) -> onnx.ModelProto:
    """Build YOLOv5s with random weights drawn from `rng`."""
    b = GraphBuilder(rng)
    x = b.input("images", TensorProto.FLOAT, ["batch", 3, SIZE, SIZE])
    x = conv(b, x, "model.0", 3, 32, 6, 2, 2)
    x = c3(b, conv(b, x, "model.1", 32, 64, 3, 2), "model.2", 64, 64, 1)
    p3 = c3(b, conv(b, x, "model.3", 64, 128, 3, 2), "model.4", 128, 128, 2)
    p4 = c3(b, conv(b, p3, "model.5", 128, 256, 3, 2), "model.6", 256, 256, 3)
    x = c3(b, conv(b, p4, "model.7", 256, 512, 3, 2), "model.8", 512, 512, 1)
    h10 = conv(b, sppf(b, x, "model.9", 512, 512), "model.10", 512, 256, 1)
    x = b.node("Concat", [upsample(b, h10, "model.11"), p4], L.scope("model.12"), axis=1)
    h14 = conv(b, c3(b, x, "model.13", 512, 256, 1, False), "model.14", 256, 128, 1)
    x = b.node("Concat", [upsample(b, h14, "model.15"), p3], L.scope("model.16"), axis=1)
    out3 = c3(b, x, "model.17", 256, 128, 1, False)
    x = b.node("Concat", [conv(b, out3, "model.18", 128, 128, 3, 2), h14], L.scope("model.19"), axis=1)
    out4 = c3(b, x, "model.20", 256, 256, 1, False)
    x = b.node("Concat", [conv(b, out4, "model.21", 256, 256, 3, 2), h10], L.scope("model.22"), axis=1)
    out5 = c3(b, x, "model.23", 512, 512, 1, False)
    levels = [detect_level(b, o, i, c, st) for i, (o, c, st) in enumerate([(out3, 128, 8), (out4, 256, 16), (out5, 512, 32)])]
    b.output(b.node("Concat", levels, L.scope("model.24"), axis=1), "output0", ["batch", 25200, OUTPUTS])
    return b.model("main_graph", OPSET)
