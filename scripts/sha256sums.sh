#!/usr/bin/env bash
# Writes DIR/SHA256SUMS: one `sha256sum` line for each release tarball in DIR, in byte order of the
# names, so `sha256sum -c SHA256SUMS` (or `--ignore-missing -c` for one download) checks them.
# Usage: scripts/sha256sums.sh [DIR]   (default: dist)
set -euo pipefail

dir=${1:-dist}
cd "$dir"
mapfile -t tarballs < <(LC_ALL=C find . -maxdepth 1 -type f -name 'release-linker-*.tar.gz' -printf '%f\n' | LC_ALL=C sort)
if [ "${#tarballs[@]}" -eq 0 ]; then
  printf 'sha256sums: no release-linker-*.tar.gz in %s\n' "$dir" >&2
  exit 1
fi
sha256sum -- "${tarballs[@]}" >SHA256SUMS.partial
mv SHA256SUMS.partial SHA256SUMS
printf 'sha256sums: %s/SHA256SUMS lists %s\n' "$dir" "${tarballs[*]}"
