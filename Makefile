# zoo: `make demo` runs the main job and `make test` runs every test, each setting up what is missing first.
SHELL := /bin/bash
SWIFT ?= swift
JOBS ?= 2
ZOO := .build/release/zoo

.PHONY: deps build release test conformance demo bench bench-catalog bench-engine bench-cache proto kernels venv venv-deepsparse clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build -j $(JOBS)

release: deps
	$(SWIFT) build -c release -j $(JOBS) --product zoo

test: deps
	$(SWIFT) build --build-tests -j $(JOBS)
	$(SWIFT) test --skip-build --disable-swift-testing
	@$(MAKE) --no-print-directory conformance

# The engine against the ONNX conformance cases and ONNX Runtime's outputs (docs/conformance.md).
conformance: deps
	@SWIFT=$(SWIFT) JOBS=$(JOBS) scripts/conformance.sh

demo: release
	@scripts/demo.sh $(ZOO)

# The catalog's speed bars: resolve p99 in-process and `zoo search` wall time over 100,000 models.
bench-catalog: deps
	$(SWIFT) build -c release -j $(JOBS) --product zoo
	$(SWIFT) build -c release -j $(JOBS) --product zoo-bench-catalog
	.build/release/zoo-bench-catalog --zoo $(ZOO) --models 100000

# The engine's bars (issue 5): zoo, ONNX Runtime and DeepSparse side by side on the reference workloads, rounds
# interleaved; prints medians, ratios, bars and a markdown section for docs/benchmarks.md. Not part of `make test`.
# BENCH_ARGS passes options, e.g. BENCH_ARGS="--only resnet50:1,distilbert-pruned80 --rounds 1 -t 2 -w 1".
# ZOO=PATH measures that binary instead of building .build/release/zoo.
bench: export BENCH_COMMAND = make bench$(if $(BENCH_ARGS), BENCH_ARGS="$(BENCH_ARGS)")
bench: $(if $(filter .build/release/zoo,$(ZOO)),release) venv venv-deepsparse
	.venv/bin/python bench/engine_bench.py --zoo $(ZOO) $(BENCH_ARGS)

# zoo against ONNX Runtime only (no DeepSparse): the same harness, by default ResNet-50 batch 1.
# BENCH_ENGINE_ARGS replaces that default, e.g. BENCH_ENGINE_ARGS="--only resnet50,mobilenet_v1 -t 5".
bench-engine: export BENCH_COMMAND = make bench-engine$(if $(BENCH_ENGINE_ARGS), BENCH_ENGINE_ARGS="$(BENCH_ENGINE_ARGS)")
bench-engine: $(if $(filter .build/release/zoo,$(ZOO)),release) venv
	.venv/bin/python bench/engine_bench.py --zoo $(ZOO) --engines zoo,ort $(or $(BENCH_ENGINE_ARGS),--only resnet50:1)

# The cache's bars: a 1 GiB pull from nginx against curl in one run, peak RSS, `zoo ls` over 10,000 models.
# BENCH_CACHE_ARGS passes options, e.g. BENCH_CACHE_ARGS="--repeats 7 --only pull".
bench-cache: release
	python3 bench/cache_bench.py --zoo $(ZOO) $(BENCH_CACHE_ARGS)

# Regenerates the per-instruction-set microkernels that share one source (scripts/gen-kernels.py).
kernels:
	python3 scripts/gen-kernels.py

# Regenerates the committed protobuf-c code for ONNX from Sources/CONNX/onnx.proto.
proto: deps
	scripts/gen-onnx-proto.sh

# The Python tools (onnx, onnxruntime, numpy) in .venv, for conformance cases and reference outputs.
venv:
	@scripts/venv.sh

# DeepSparse 1.8.0 in its own .venv-deepsparse (Python 3.8-3.11; PYTHON=… chooses), for `make bench`.
venv-deepsparse:
	@scripts/venv.sh deepsparse

clean:
	rm -rf .build
