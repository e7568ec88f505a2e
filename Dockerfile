# The release-linker image for GitLab CI jobs.
#
#   docker build -t registry.example.com/tools/release-linker:0.1.0 .
#   docker push registry.example.com/tools/release-linker:0.1.0
#
# Builder: any Swift 6.3 image works whose C library is not newer than Debian 12's (glibc 2.36), so the
# binary runs on the runtime stage: the `-bookworm` images, or `-jammy`. Pick it with
#   --build-arg SWIFT_IMAGE=swift:6.3-bookworm
# The Swift standard library and Foundation are linked statically; the binary needs only the C
# libraries that Debian ships (libc, libstdc++, libgcc_s, libcurl, libarchive).
# `make check-image` proves the same binary on a bare Debian 12 root where no Docker engine runs.

ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG RUNTIME_IMAGE=debian:12-slim

FROM ${SWIFT_IMAGE} AS builder
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libcurl4-openssl-dev libarchive-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Package.swift names the test targets too, so their folders must exist for it to load.
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --static-swift-stdlib --product release-linker \
    && install -D -m 0755 "$(swift build -c release --show-bin-path)/release-linker" /out/release-linker \
    && strip /out/release-linker \
    && /out/release-linker --version

FROM ${RUNTIME_IMAGE}
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libcurl4 libarchive13 ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 release-linker \
    && useradd --system --uid 10001 --gid 10001 --create-home --home-dir /home/release-linker \
        --shell /bin/sh release-linker
COPY --from=builder /out/release-linker /usr/local/bin/release-linker
USER 10001:10001
WORKDIR /home/release-linker
LABEL org.opencontainers.image.title="release-linker" \
      org.opencontainers.image.description="Registers one GitLab release link per build artifact, idempotently."
# GitLab runners replace the entrypoint with their own shell; this only shows the help when the image is
# run by hand.
CMD ["release-linker", "--help"]
