# zoo: `make demo` runs the main job and `make test` runs every test, each setting up what is missing first.
SHELL := /bin/bash
SWIFT ?= swift
JOBS ?= 2
ZOO := .build/release/zoo

.PHONY: deps build release test conformance demo bench-catalog bench-engine bench-cache proto venv clean

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

# The engine's speed bar: zoo against ONNX Runtime in one run, alternating (docs/benchmarks.md).
# BENCH_ENGINE_ARGS passes options, e.g. BENCH_ENGINE_ARGS="--all --repeats 5".
bench-engine: release venv
	.venv/bin/python bench/engine_vs_ort.py --zoo $(ZOO) $(BENCH_ENGINE_ARGS)

# The cache's bars: a 1 GiB pull from nginx against curl in one run, peak RSS, `zoo ls` over 10,000 models.
# BENCH_CACHE_ARGS passes options, e.g. BENCH_CACHE_ARGS="--repeats 7 --only pull".
bench-cache: release
	python3 bench/cache_bench.py --zoo $(ZOO) $(BENCH_CACHE_ARGS)

# Regenerates the committed protobuf-c code for ONNX from Sources/CONNX/onnx.proto.
proto: deps
	scripts/gen-onnx-proto.sh

# The Python tools (onnx, onnxruntime, numpy) in .venv, for conformance cases and reference outputs.
venv:
	@scripts/venv.sh

clean:
	rm -rf .build
