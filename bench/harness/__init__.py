"""The engine benchmark harness behind `make bench` (bench/engine_bench.py).

- `workloads`: the reference workloads of issue 5 and design.md, their batch sizes and bars; builds the
  models with bench/make_models.py when missing.
- `runners`: one measurement of one engine in its own process (zoo bench, ONNX Runtime through
  `ort_benchmark.py`, deepsparse.benchmark), and DeepSparse's per-layer analysis (which layers it runs sparse).
- `ort_benchmark`: deepsparse.benchmark's sync scenario on ONNX Runtime, as a command with the same JSON export.
- `machine`: the description of the machine and the software versions that go with the results.
- `report`: medians over rounds, ratios, bars, and the text and markdown tables.
"""
