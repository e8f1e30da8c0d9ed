"""DistilBERT-base for sequence classification (6 layers, hidden 768, 12 heads, FFN 3072).

Laid out as torch.onnx exports HuggingFace's DistilBertForSequenceClassification at
opset 17 with a dynamic batch and sequence length fixed at 128:
  - word and position embeddings by Gather, summed, LayerNormalization;
  - the attention mask as an additive bias: Unsqueeze, Cast, Sub from 1, Mul by the
    float32 minimum;
  - per layer: q/k/v/out projections as MatMul + Add, heads split with
    Shape/Gather/Unsqueeze/Concat-built Reshape targets and Transpose, scaled scores,
    Softmax, residual Add + LayerNormalization, an Erf-GELU feed-forward block;
  - the first token's state through pre_classifier (Gemm, Relu) and classifier (Gemm).
Inputs `input_ids` and `attention_mask` int64 [batch, 128]; output `logits` [batch, 2].

`build(rng, opset=14)` gives the same network as torch.onnx exports it at opset 14, the opset of SparseZoo's
DistilBERT exports: each LayerNormalization written out as primitive ops (ReduceMean, Sub, Pow, Sqrt, Div, Mul,
Add). DeepSparse 1.8 runs that form in its optimised runtime, while it leaves LayerNormalization nodes to its
naive fallback (bench `distilbert-opset14`, docs/benchmarks.md).
"""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto

from . import layers as L
from .graph import GraphBuilder

OPSET = 17
VOCAB = 30522
MAX_POSITIONS = 512
SEQ = 128
HIDDEN = 768
HEADS = 12
FFN = 3072
LAYERS = 6
CLASSES = 2
EPSILON = 1e-12


def attention_bias(b: GraphBuilder, mask: str) -> str:
    """[batch, seq] int64 mask -> [batch, 1, 1, seq] float bias: 0 to keep, float32 min to drop."""
    s = "/distilbert"
    m = b.node("Unsqueeze", [mask, b.constant([1, 2], "Unsqueeze")], s)
    m = b.node("Cast", [m], s, to=TensorProto.FLOAT)
    m = b.node("Sub", [b.constant(1.0, "Sub"), m], s)
    return b.node("Mul", [m, b.constant(np.finfo(np.float32).min, "Mul")], s)


def heads_shapes(b: GraphBuilder, x: str, s: str) -> tuple[str, str]:
    """Reshape targets built from x's dynamic batch: [bs, -1, HEADS, d] and [bs, -1, HIDDEN]."""
    shape = b.node("Shape", [x], s)
    batch = b.node("Gather", [shape, b.constant(np.array(0, np.int64), "Gather")], s, axis=0)
    batch = b.node("Unsqueeze", [batch, b.constant([0], "Unsqueeze")], s)
    split = b.node("Concat", [batch, *(b.constant([d], "Concat") for d in (-1, HEADS, HIDDEN // HEADS))], s, axis=0)
    merge = b.node("Concat", [batch, b.constant([-1], "Concat"), b.constant([HIDDEN], "Concat")], s, axis=0)
    return split, merge


def self_attention(b: GraphBuilder, x: str, bias: str, module: str) -> str:
    """Multi-head self-attention; returns the output projection (before the residual)."""
    s = L.scope(module)
    split, merge = heads_shapes(b, x, s)

    def project(name: str, perm: list[int]) -> str:
        y = b.node("Reshape", [L.linear(b, x, f"{module}.{name}", HIDDEN, HIDDEN), split], s)
        return b.node("Transpose", [y], s, perm=perm)

    q = b.node("Div", [project("q_lin", [0, 2, 1, 3]), b.constant(np.sqrt(HIDDEN // HEADS), "Div")], s)
    k = project("k_lin", [0, 2, 3, 1])
    v = project("v_lin", [0, 2, 1, 3])
    scores = b.node("Add", [b.node("MatMul", [q, k], s), bias], s)
    weights = b.node("Softmax", [scores], s, axis=-1)
    context = b.node("Transpose", [b.node("MatMul", [weights, v], s)], s, perm=[0, 2, 1, 3])
    context = b.node("Reshape", [context, merge], s)
    return L.linear(b, context, f"{module}.out_lin", HIDDEN, HIDDEN)


def transformer_block(b: GraphBuilder, x: str, bias: str, module: str, opset: int) -> str:
    """Attention and feed-forward sub-blocks, each with residual Add and layer normalisation."""
    s = L.scope(module)
    attended = b.node("Add", [self_attention(b, x, bias, f"{module}.attention"), x], s)
    x = L.layer_norm(b, attended, f"{module}.sa_layer_norm", HIDDEN, EPSILON, opset)
    h = L.gelu(b, L.linear(b, x, f"{module}.ffn.lin1", HIDDEN, FFN), f"{module}.ffn.activation")
    y = b.node("Add", [L.linear(b, h, f"{module}.ffn.lin2", FFN, HIDDEN), x], s)
    return L.layer_norm(b, y, f"{module}.output_layer_norm", HIDDEN, EPSILON, opset)


def build(rng: np.random.Generator, opset: int = OPSET) -> onnx.ModelProto:
    """Build DistilBERT with random weights drawn from `rng`, written for `opset` (13 to 17)."""
    b = GraphBuilder(rng)
    ids = b.input("input_ids", TensorProto.INT64, ["batch", SEQ])
    mask = b.input("attention_mask", TensorProto.INT64, ["batch", SEQ])
    emb = "distilbert.embeddings"
    words = b.node("Gather", [b.weight(f"{emb}.word_embeddings.weight", L.small(b, (VOCAB, HIDDEN))), ids], L.scope(f"{emb}.word_embeddings"))
    positions = b.constant(np.arange(SEQ, dtype=np.int64)[None, :], "Gather")
    position_table = b.weight(f"{emb}.position_embeddings.weight", L.small(b, (MAX_POSITIONS, HIDDEN)))
    pos = b.node("Gather", [position_table, positions], L.scope(f"{emb}.position_embeddings"))
    x = L.layer_norm(b, b.node("Add", [words, pos], L.scope(emb)), f"{emb}.LayerNorm", HIDDEN, EPSILON, opset)
    bias = attention_bias(b, mask)
    for i in range(LAYERS):
        x = transformer_block(b, x, bias, f"distilbert.transformer.layer.{i}", opset)
    first = b.node("Gather", [x, b.constant(np.array(0, np.int64), "Gather")], "/distilbert", axis=1)
    pooled = L.relu(b, L.gemm(b, first, "pre_classifier", HIDDEN, HIDDEN), "relu")
    b.output(L.gemm(b, pooled, "classifier", HIDDEN, CLASSES), "logits", ["batch", CLASSES])
    return b.model("main_graph", opset)
