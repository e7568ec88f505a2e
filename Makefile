# Two commands do everything on a fresh Debian machine with Swift:
#   make demo   set up, build, publish links against the bundled GitLab emulator, show and download them
#   make test   set up, check format and layering, build with warnings as errors, run the whole suite
# `.ci/run` calls `make test`.
# Also: make docs (regenerate docs/reference from the commands' --help),
#       make dist (this machine's release tarball and SHA256SUMS under dist/, the same bytes every time),
#       make check-image (that tarball and its static binary, proven on a bare Debian 12 root),
#       make fuzz (the libFuzzer targets of Fuzz/, FUZZ_SECONDS each),
#       make sanitize (the suite under ASan and TSan, and leak checks of the binary; not in CI).

SHELL := /bin/bash
SWIFT ?= swift
APT_PACKAGES := libcurl4-openssl-dev libarchive-dev zlib1g-dev pkg-config libarchive-tools zstd xz-utils \
	bzip2 zip unzip p7zip-full openssl stunnel4 curl
PYTHON ?= python3

.PHONY: setup build test demo format lint layers clean bench docs dist check-image fuzz sanitize

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

## dist: release build (Swift stdlib static, stripped) packed with its man page, completions, LICENSE
## and README into dist/release-linker-ARCH-linux.tar.gz, reproducibly, and dist/SHA256SUMS
## (scripts/dist.sh says how; RELEASE_LINKER_BINARY=FILE packs that binary instead of building one)
DIST_DIR ?= dist
export DIST_DIR
dist:
	./scripts/dist.sh

## check-image: make dist, then that tarball's contents and binary: ldd, glibc, and a run in a
## debootstrapped Debian 12 root (scripts/check-static-binary.sh)
check-image: setup dist
	TARBALL="$(DIST_DIR)/release-linker-$$(uname -m)-linux.tar.gz" ./scripts/check-static-binary.sh

## bench: release build, then every benchmark side by side with curl, python-gitlab, bsdtar and find
bench: setup
	$(SWIFT) build -c release
	$(PYTHON) Benchmarks/bench.py all

## fuzz: build the libFuzzer targets of Fuzz/ (AddressSanitizer, coverage) and run each for
## FUZZ_SECONDS (default 60) over its seed corpus; a crash fails and leaves its input in .build-fuzz/findings
FUZZ_SECONDS ?= 60
fuzz: setup
	./scripts/fuzz.sh $(FUZZ_SECONDS)

## sanitize: the whole suite built with AddressSanitizer (.build-asan) and ThreadSanitizer
## (.build-tsan), then LeakSanitizer on a 1,000-link publish and a 1 GiB upload and valgrind on the
## publish (scripts/sanitize.sh; SANITIZE="asan tsan leaks valgrind" picks some). About an hour on
## two cores from clean, so `.ci/run` does not call it (Benchmarks/results/sanitizers.md)
SANITIZE ?= asan tsan leaks valgrind
sanitize:
	./scripts/setup.sh sanitize
	./scripts/sanitize.sh $(SANITIZE)

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
	rm -rf .build .build-asan .build-tsan .build-fuzz dist
