# Two commands do everything on a fresh Debian machine with Swift:
#   make demo   set up, build, publish links against the bundled GitLab emulator, show what it holds
#   make test   set up, build with warnings as errors, run the whole test suite
# `.ci/run` calls `make test`.

SHELL := /bin/bash
SWIFT ?= swift
APT_PACKAGES := libcurl4-openssl-dev libarchive-dev pkg-config libarchive-tools zstd xz-utils \
	bzip2 zip unzip p7zip-full openssl stunnel4 curl
PYTHON ?= python3

.PHONY: setup build test demo format lint clean

## setup: install the system libraries and test tools that are missing (apt), and python-gitlab (PyPI)
setup:
	@./scripts/setup.sh

build: setup
	$(SWIFT) build

test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --parallel --num-workers 2 2>&1 | tee .build/test-output.txt; \
		exit $${PIPESTATUS[0]}

demo: setup
	$(SWIFT) build
	./scripts/demo.sh

format:
	$(SWIFT) format --in-place --recursive Package.swift Sources Tests

lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests

clean:
	rm -rf .build
