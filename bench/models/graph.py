"""A small ONNX graph builder that names things in the style of PyTorch's exporter.

Nodes are named `<scope>/<OpType>` (made unique with `_<n>`), their outputs
`<node name>_output_<i>`, and weights by their PyTorch module path, e.g.
`layer1.0.conv1.weight`. Small constants (shapes, scalars) become initializers named
`onnx::<OpType>_<n>` after the op that uses them.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

IR_VERSION = 8  # what torch.onnx writes for opsets 13-17; readable by onnx < 1.15


class GraphBuilder:
    """Accumulates nodes, initializers, inputs and outputs, then makes a ModelProto."""

    def __init__(self, rng: np.random.Generator):
        self.rng = rng
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self.inputs: list[onnx.ValueInfoProto] = []
        self.outputs: list[onnx.ValueInfoProto] = []
        self._names: set[str] = set()
        self._constants = 0

    def _unique(self, name: str) -> str:
        """`name`, or `name_<n>` with the first n that is still free; reserves it."""
        candidate, n = name, 0
        while candidate in self._names:
            n += 1
            candidate = f"{name}_{n}"
        self._names.add(candidate)
        return candidate

    def input(self, name: str, elem_type: int, shape: Sequence[int | str]) -> str:
        """Declare a graph input; string dimensions are symbolic."""
        self.inputs.append(helper.make_tensor_value_info(name, elem_type, shape))
        return name

    def output(self, value: str, name: str, shape: Sequence[int | str]) -> None:
        """Expose `value` as a float graph output, renaming it to `name` everywhere."""
        for node in self.nodes:
            for field in (node.input, node.output):
                for i, v in enumerate(field):
                    if v == value:
                        field[i] = name
        self.outputs.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, shape))

    def weight(self, name: str, array: np.ndarray) -> str:
        """Add a named initializer (a parameter of the network)."""
        self.initializers.append(numpy_helper.from_array(array, self._unique(name)))
        return self.initializers[-1].name

    def constant(self, array: np.ndarray | Sequence[int] | float, user_op: str) -> str:
        """Add a small constant initializer named after the op that uses it."""
        self._constants += 1
        value = np.asarray(array)
        if value.dtype == np.float64:
            value = value.astype(np.float32)
        return self.weight(f"onnx::{user_op}_{self._constants}", value)

    def node(self, op: str, inputs: Sequence[str], scope: str = "", outputs: int = 1, **attrs) -> str | list[str]:
        """Append a node; return its output name, or the list of names when outputs > 1."""
        name = self._unique(f"{scope}/{op}")
        out = [f"{name}_output_{i}" for i in range(outputs)]
        self.nodes.append(helper.make_node(op, list(inputs), out, name=name, **attrs))
        return out[0] if outputs == 1 else out

    def model(self, graph_name: str, opset: int) -> onnx.ModelProto:
        """Make the model, check it, and return it."""
        graph = helper.make_graph(self.nodes, graph_name, self.inputs, self.outputs, self.initializers)
        model = helper.make_model(
            graph,
            opset_imports=[helper.make_opsetid("", opset)],
            producer_name="zoo-bench",
            ir_version=IR_VERSION,
        )
        onnx.checker.check_model(model, full_check=True)
        return model
