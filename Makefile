# Two commands do everything on a fresh Debian machine with Swift:
#   make demo   set up, build, publish links against the bundled GitLab emulator, show what it holds
#   make test   set up, check format and layering, build with warnings as errors, run the whole suite
# `.ci/run` calls `make test`.
# Also: make docs (regenerate docs/reference from the commands' --help),
#       make check-image (the container image's static binary, proven on a bare Debian 12 root).

SHELL := /bin/bash
SWIFT ?= swift
APT_PACKAGES := libcurl4-openssl-dev libarchive-dev pkg-config libarchive-tools zstd xz-utils \
	bzip2 zip unzip p7zip-full openssl stunnel4 curl
PYTHON ?= python3

.PHONY: setup build test demo format lint layers clean bench docs check-image fuzz

## setup: install the system libraries and test tools that are missing (apt), and python-gitlab (PyPI)
setup:
	@./scripts/setup.sh

build: setup
	$(SWIFT) build

test: setup lint layers
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --parallel --num-workers 2 2>&1 | tee .build/test-output.txt; \
		exit $${PIPESTATUS[0]}

demo: setup
	$(SWIFT) build
	./scripts/demo.sh

## docs: regenerate docs/reference (Markdown pages and a man page) from the built commands' --help
docs: setup
	$(SWIFT) build --product release-linker
	./scripts/generate-reference.sh "$$($(SWIFT) build --show-bin-path)/release-linker" docs/reference

## check-image: release build with the Swift stdlib static, ldd check, run in a debootstrapped Debian 12
check-image: setup
	./scripts/check-static-binary.sh

## bench: release build, then every benchmark side by side with curl, python-gitlab, bsdtar and find
bench: setup
	$(SWIFT) build -c release
	$(PYTHON) Benchmarks/bench.py all

## fuzz: build the libFuzzer targets of Fuzz/ (AddressSanitizer, coverage) and run each for
## FUZZ_SECONDS (default 60) over its seed corpus; a crash fails and leaves its input in .build-fuzz/findings
FUZZ_SECONDS ?= 60
fuzz: setup
	./scripts/fuzz.sh $(FUZZ_SECONDS)

format:
	$(SWIFT) format --in-place --recursive Package.swift Sources Tests Fuzz/Package.swift Fuzz/Sources

lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests Fuzz/Package.swift Fuzz/Sources

## layers: each folder of the core uses only the folders below it (docs/architecture.md), and the
## check itself catches a wrong reference
layers:
	$(PYTHON) scripts/check-layers.py
	$(PYTHON) scripts/check-layers.py --self-test

clean:
	rm -rf .build
