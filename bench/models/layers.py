"""Layers shared by the model families, written as the ONNX that torch.onnx emits for them.

Each function takes the builder, the input value name and a PyTorch-style module path
(`layer1.0.conv1`), creates the layer's random parameters with the builder's generator,
and returns the output value name. Weights use He (Kaiming) scaling so that activations
stay of order one through deep stacks.
"""

from __future__ import annotations

import math

import numpy as np

from .graph import GraphBuilder


def scope(module: str) -> str:
    """The node-name scope of a module path: `layer1.0.conv1` -> `/layer1/0/conv1`."""
    return "/" + module.replace(".", "/")


def he_normal(b: GraphBuilder, shape: tuple[int, ...], fan_in: int, gain: float = 2.0) -> np.ndarray:
    """Normal(0, gain / fan_in) weights in float32."""
    std = math.sqrt(gain / fan_in)
    return (b.rng.standard_normal(shape, dtype=np.float32) * np.float32(std)).astype(np.float32)


def small(b: GraphBuilder, shape: tuple[int, ...], std: float = 0.02) -> np.ndarray:
    """Normal(0, std) values, for biases and embeddings."""
    return b.rng.standard_normal(shape, dtype=np.float32) * np.float32(std)


def conv(
    b: GraphBuilder,
    x: str,
    module: str,
    cin: int,
    cout: int,
    kernel: int,
    stride: int = 1,
    padding: int | None = None,
    group: int = 1,
    bias: bool = False,
) -> str:
    """Conv2d with square kernel; padding defaults to kernel // 2 ("same" for odd kernels)."""
    pad = kernel // 2 if padding is None else padding
    fan_in = cin // group * kernel * kernel
    inputs = [x, b.weight(f"{module}.weight", he_normal(b, (cout, cin // group, kernel, kernel), fan_in))]
    if bias:
        inputs.append(b.weight(f"{module}.bias", small(b, (cout,))))
    return b.node(
        "Conv",
        inputs,
        scope(module),
        dilations=[1, 1],
        group=group,
        kernel_shape=[kernel, kernel],
        pads=[pad] * 4,
        strides=[stride, stride],
    )


def batch_norm(b: GraphBuilder, x: str, module: str, channels: int, gamma: float = 1.0) -> str:
    """BatchNormalization in inference form with plausible random statistics.

    `gamma` scales the learned scale; a small value on the last BN of a residual branch
    keeps the sum from growing block after block, as a trained network's does.
    """
    c = (channels,)
    params = [
        b.weight(f"{module}.weight", gamma * b.rng.uniform(0.5, 1.5, c).astype(np.float32)),
        b.weight(f"{module}.bias", small(b, c, 0.1)),
        b.weight(f"{module}.running_mean", small(b, c, 0.1)),
        b.weight(f"{module}.running_var", b.rng.uniform(0.5, 1.5, c).astype(np.float32)),
    ]
    return b.node("BatchNormalization", [x, *params], scope(module), epsilon=1e-5, momentum=0.9)


def relu(b: GraphBuilder, x: str, module: str) -> str:
    """Relu."""
    return b.node("Relu", [x], scope(module))


def silu(b: GraphBuilder, x: str, module: str) -> str:
    """SiLU as torch.onnx writes it before opset 22: x * Sigmoid(x)."""
    return b.node("Mul", [x, b.node("Sigmoid", [x], scope(module))], scope(module))


def gemm(b: GraphBuilder, x: str, module: str, fin: int, fout: int) -> str:
    """nn.Linear on a 2-D input: Gemm with the [out, in] weight and transB=1."""
    w = b.weight(f"{module}.weight", he_normal(b, (fout, fin), fin, gain=1.0))
    bias = b.weight(f"{module}.bias", small(b, (fout,)))
    return b.node("Gemm", [x, w, bias], scope(module), alpha=1.0, beta=1.0, transB=1)


def linear(b: GraphBuilder, x: str, module: str, fin: int, fout: int, std: float = 0.02) -> str:
    """nn.Linear on a 3-D input: MatMul with the transposed ([in, out]) weight, then Add."""
    w = b.weight(f"{module}.weight", small(b, (fin, fout), std))
    y = b.node("MatMul", [x, w], scope(module))
    return b.node("Add", [b.weight(f"{module}.bias", small(b, (fout,))), y], scope(module))


def layer_norm(b: GraphBuilder, x: str, module: str, dim: int, epsilon: float, opset: int = 17) -> str:
    """Layer normalisation over the last axis as torch.onnx writes it: one LayerNormalization node from opset 17,
    before that the primitive ops (ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, Div, Mul, Add)."""
    gamma = b.weight(f"{module}.weight", 1.0 + small(b, (dim,), 0.05))
    beta = b.weight(f"{module}.bias", small(b, (dim,), 0.05))
    s = scope(module)
    if opset >= 17:
        return b.node("LayerNormalization", [x, gamma, beta], s, axis=-1, epsilon=epsilon)
    centred = b.node("Sub", [x, b.node("ReduceMean", [x], s, axes=[-1])], s)
    variance = b.node("ReduceMean", [b.node("Pow", [centred, b.constant(2.0, "Pow")], s)], s, axes=[-1])
    deviation = b.node("Sqrt", [b.node("Add", [variance, b.constant(epsilon, "Add")], s)], s)
    return b.node("Add", [b.node("Mul", [b.node("Div", [centred, deviation], s), gamma], s), beta], s)


def gelu(b: GraphBuilder, x: str, module: str) -> str:
    """Exact GELU as torch.onnx writes it: x * 0.5 * (1 + erf(x / sqrt(2)))."""
    s = scope(module)
    erf = b.node("Erf", [b.node("Div", [x, b.constant(1.4142135381698608, "Div")], s)], s)
    one_plus = b.node("Add", [erf, b.constant(1.0, "Add")], s)
    return b.node("Mul", [b.node("Mul", [x, one_plus], s), b.constant(0.5, "Mul")], s)
