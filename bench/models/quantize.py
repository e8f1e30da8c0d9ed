"""INT8 (QDQ) versions of the reference models, as ONNX Runtime's static quantizer writes them.

`quantize(model, rng)` runs `onnxruntime.quantization.quantize_static` in QDQ format with per-channel int8
weights and uint8 activations, calibrated (min/max) on a few random inputs drawn from `rng`: the form of the
INT8 models in design.md's reference workloads. Random weights are fine for speed; the calibration only has
to give every activation a sensible range.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

import numpy as np
import onnx

CALIBRATION_BATCHES = 4


def random_inputs(model: onnx.ModelProto, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """One batch-1 input per graph input: token ids in [0, 1000), masks of ones, floats N(0, 1)."""
    feeds = {}
    initializers = {t.name for t in model.graph.initializer}
    for value in model.graph.input:
        if value.name in initializers:
            continue
        shape = [d.dim_value or 1 for d in value.type.tensor_type.shape.dim]
        elem = value.type.tensor_type.elem_type
        if elem == onnx.TensorProto.INT64:
            feeds[value.name] = (np.ones(shape, np.int64) if "mask" in value.name
                                 else rng.integers(0, 1000, shape, dtype=np.int64))
        else:
            feeds[value.name] = rng.standard_normal(shape, dtype=np.float32)
    return feeds


def optimize(source: Path, target: Path) -> None:
    """ONNX Runtime's basic graph optimizations (BatchNorm folded into Conv, constants folded), as the
    quantizer's pre-processing (`quant_pre_process`) applies them before quantizing."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_BASIC
    options.optimized_model_filepath = str(target)
    onnxruntime.InferenceSession(str(source), options, providers=["CPUExecutionProvider"])


def quantize(model: onnx.ModelProto, rng: np.random.Generator) -> onnx.ModelProto:
    """`model` quantized statically to QDQ: per-channel int8 weights, uint8 activations."""
    # ONNX Runtime's quantizer names the 4-bit element types, which onnx < 1.16 (pinned for deepsparse, see
    # scripts/requirements.txt) lacks; it never writes them here. Their numbers are those of later onnx.
    for name, number in (("UINT4", 21), ("INT4", 22)):
        if not hasattr(onnx.TensorProto, name):
            setattr(onnx.TensorProto, name, number)
    from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static

    logging.getLogger().setLevel(logging.ERROR)  # the quantizer warns about every rank-1 weight it skips
    batches = [random_inputs(model, rng) for _ in range(CALIBRATION_BATCHES)]

    class Reader(CalibrationDataReader):
        def __init__(self) -> None:
            self.pending = iter(batches)

        def get_next(self) -> dict[str, np.ndarray] | None:
            return next(self.pending, None)

    with tempfile.TemporaryDirectory() as tmp:
        raw, source, target = Path(tmp) / "raw.onnx", Path(tmp) / "fp32.onnx", Path(tmp) / "int8.onnx"
        onnx.save(model, str(raw))
        optimize(raw, source)
        quantize_static(str(source), str(target), Reader(), quant_format=QuantFormat.QDQ, per_channel=True,
                        activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8)
        return onnx.load(str(target))
