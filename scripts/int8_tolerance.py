#!/usr/bin/env python3
"""The error an INT8 model's outputs may have against ONNX Runtime's: one quantization step.

Usage: int8_tolerance.py MODEL REF_DIR

Each graph output of a QDQ model is the DequantizeLinear of a quantized value; one step is its scale. Prints the
largest step over the outputs as a relative error, step ÷ max|ORT output| (the measure of
`zoo-conformance --reference --max-error`), for scripts/ort_models_check.sh.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import numpy_helper


def main(model_path: str, reference: str) -> int:
    model = onnx.load(model_path, load_external_data=False)
    producers = {output: node for node in model.graph.node for output in node.output}
    initializers = {t.name: t for t in model.graph.initializer}
    worst = 0.0
    for output in model.graph.output:
        node = producers.get(output.name)
        if node is None or node.op_type != "DequantizeLinear" or node.input[1] not in initializers:
            sys.exit(f"int8_tolerance.py: output {output.name!r} is not a DequantizeLinear of a constant scale")
        step = float(np.max(numpy_helper.to_array(initializers[node.input[1]])))
        expected = np.load(Path(reference) / "outputs" / f"{output.name}.npy")
        worst = max(worst, step / max(float(np.max(np.abs(expected))), 1e-30))
    print(f"{worst * 1.001:.6g}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    sys.exit(main(sys.argv[1], sys.argv[2]))
