#!/usr/bin/env python3
"""Export the ONNX backend conformance cases that the installed `onnx` wheel carries.

Usage: onnx_conformance_export.py OUT_DIR

Writes, for every case, the layout of the ONNX repository's backend test data:

    OUT_DIR/<case>/model.onnx
    OUT_DIR/<case>/test_data_set_<N>/input_<K>.pb    (TensorProto, SequenceProto or OptionalProto)
    OUT_DIR/<case>/test_data_set_<N>/output_<K>.pb

and OUT_DIR/index.json, which lists every case with its kind, the op types its graph
uses (subgraphs included), its opset imports, and the names and types of the inputs it
is fed (graph inputs that are not initializers) and of its outputs.

Three kinds of case are exported:
  node    onnx.backend.test.case.node.collect_testcases(): one operator per model
          (and the function-expanded "_expanded" variants);
  simple  the small multi-node models of onnx.backend.test.case.model;
  light   the real networks of onnx/backend/test/data/light (weights replaced by
          ConstantOfShape), with the input the ONNX runner feeds them
          (arange(n) / n, unknown dimensions set to 1) and the stored expected output.

Node cases draw random data from numpy's global generator, so it is seeded first and
the export is the same on every run. When two cases share a name the later one wins,
as in the ONNX repository's own data directory.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import warnings
from pathlib import Path
from typing import Any, Iterable, Iterator, NamedTuple, Sequence

import numpy as np
import onnx
from onnx import numpy_helper

RANDOM_SEED = 0


class Case(NamedTuple):
    """One exported case: a model and its input/output data sets."""

    name: str
    kind: str
    model: onnx.ModelProto
    data_sets: Sequence[tuple[Sequence[Any], Sequence[Any]]]
    rtol: float
    atol: float


def node_and_simple_cases() -> Iterator[Case]:
    """Yield the cases that onnx generates from Python code (node and simple model cases)."""
    from onnx.backend.test.case import model as model_cases
    from onnx.backend.test.case import node as node_cases

    np.random.seed(RANDOM_SEED)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        collected = list(node_cases.collect_testcases(None))
        collected += [c for c in model_cases.collect_testcases() if c.model is not None]
    for c in collected:
        yield Case(c.name, c.kind, c.model, c.data_sets, c.rtol, c.atol)


def light_cases() -> Iterator[Case]:
    """Yield the light real-model cases stored in the installed onnx wheel."""
    light_dir = Path(onnx.__file__).parent / "backend" / "test" / "data" / "light"
    for path in sorted(light_dir.glob("light_*.onnx")):
        model = onnx.load(str(path))
        initializers = {i.name for i in model.graph.initializer}
        inputs = [
            light_input(v) for v in model.graph.input if v.name not in initializers
        ]
        outputs = [
            numpy_helper.to_array(onnx.load_tensor(str(p)))
            for p in sorted(light_dir.glob(f"{path.stem}_output_*.pb"))
        ]
        name = "test_" + path.stem.removeprefix("light_")
        yield Case(name, "light", model, [(inputs, outputs)], 1e-3, 1e-7)


def light_input(value: onnx.ValueInfoProto) -> np.ndarray:
    """The ONNX runner's dummy input for a light model: arange(n) / n, unknown dims as 1."""
    dims = value.type.tensor_type.shape.dim
    shape = tuple(d.dim_value if d.HasField("dim_value") else 1 for d in dims)
    n = int(np.prod(shape))
    return (np.arange(n).reshape(shape) / n).astype(np.float32)


def serialize_value(value: Any, info: onnx.ValueInfoProto) -> bytes:
    """Serialize one input or output value as the proto its declared type calls for."""
    kind = info.type.WhichOneof("value")
    if kind == "sequence_type":
        return numpy_helper.from_list(value, info.name).SerializeToString()
    if kind == "optional_type":
        return numpy_helper.from_optional(value, info.name).SerializeToString()
    if kind == "map_type":
        return numpy_helper.from_dict(value, info.name).SerializeToString()
    if isinstance(value, onnx.TensorProto):
        return value.SerializeToString()
    return numpy_helper.from_array(np.asarray(value), info.name).SerializeToString()


def graphs(graph: onnx.GraphProto) -> Iterator[onnx.GraphProto]:
    """Yield a graph and, recursively, every subgraph held in its nodes' attributes."""
    yield graph
    for node in graph.node:
        for attr in node.attribute:
            for sub in [attr.g] if attr.HasField("g") else attr.graphs:
                yield from graphs(sub)


def op_types(model: onnx.ModelProto) -> list[str]:
    """Sorted op types used anywhere in the model; non-default domains are prefixed."""
    found = set()
    for graph in graphs(model.graph):
        for node in graph.node:
            domain = "" if node.domain == "ai.onnx" else node.domain
            found.add(f"{domain}.{node.op_type}" if domain else node.op_type)
    return sorted(found)


def type_string(t: onnx.TypeProto) -> str:
    """A readable type in ONNX's notation: tensor(float), seq(tensor(int64)), ..."""
    kind = t.WhichOneof("value")
    if kind in ("tensor_type", "sparse_tensor_type"):
        elem = onnx.helper.tensor_dtype_to_string(getattr(t, kind).elem_type)
        wrapper = "tensor" if kind == "tensor_type" else "sparse_tensor"
        return f"{wrapper}({elem.removeprefix('TensorProto.').lower()})"
    if kind == "sequence_type":
        return f"seq({type_string(t.sequence_type.elem_type)})"
    if kind == "optional_type":
        return f"optional({type_string(t.optional_type.elem_type)})"
    if kind == "map_type":
        key = onnx.helper.tensor_dtype_to_string(t.map_type.key_type)
        key = key.removeprefix("TensorProto.").lower()
        return f"map({key},{type_string(t.map_type.value_type)})"
    return "undefined"


def opset_imports(model: onnx.ModelProto) -> dict[str, int]:
    """Opset version per domain; the default domain is keyed by the empty string."""
    return {
        ("" if o.domain == "ai.onnx" else o.domain): o.version
        for o in model.opset_import
    }


def write_case(case: Case, out_dir: Path) -> dict[str, Any]:
    """Write one case's model and data sets; return its index entry."""
    case_dir = out_dir / case.name
    if case_dir.exists():
        shutil.rmtree(case_dir)
    case_dir.mkdir(parents=True)
    (case_dir / "model.onnx").write_bytes(case.model.SerializeToString())
    graph = case.model.graph
    initializers = {i.name for i in graph.initializer}
    feeds = [i for i in graph.input if i.name not in initializers]
    for n, (inputs, outputs) in enumerate(case.data_sets):
        data_dir = case_dir / f"test_data_set_{n}"
        data_dir.mkdir()
        write_values(data_dir, "input", inputs, feeds)
        write_values(data_dir, "output", outputs, graph.output)
    imports = opset_imports(case.model)
    return {
        "name": case.name,
        "kind": case.kind,
        "op_types": op_types(case.model),
        "opset": imports.get("", 0),
        "opset_imports": imports,
        "inputs": [i.name for i in feeds],
        "input_types": [type_string(i.type) for i in feeds],
        "outputs": [o.name for o in graph.output],
        "output_types": [type_string(o.type) for o in graph.output],
        "data_sets": len(case.data_sets),
        "rtol": case.rtol,
        "atol": case.atol,
    }


def write_values(
    data_dir: Path, prefix: str, values: Iterable[Any], infos: Sequence[onnx.ValueInfoProto]
) -> None:
    """Write values as <prefix>_<K>.pb, each typed by the graph's K-th input or output."""
    for k, (value, info) in enumerate(zip(values, infos)):
        (data_dir / f"{prefix}_{k}.pb").write_bytes(serialize_value(value, info))


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, export every case, and write index.json."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path, help="directory to write the cases into")
    args = parser.parse_args(argv)

    args.out_dir.mkdir(parents=True, exist_ok=True)
    index: dict[str, dict[str, Any]] = {}
    for case in [*node_and_simple_cases(), *light_cases()]:
        index[case.name] = write_case(case, args.out_dir)
    entries = [index[name] for name in sorted(index)]
    index_doc = {"onnx_version": onnx.__version__, "cases": entries}
    (args.out_dir / "index.json").write_text(json.dumps(index_doc, indent=1) + "\n")
    print(f"exported {len(entries)} cases to {args.out_dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
