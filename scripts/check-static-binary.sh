#!/usr/bin/env bash
# Proves what the image and the release tarballs rely on, where no Docker engine runs:
#   1. the release binary built with the Swift standard library linked statically
#      (`swift build -c release --static-swift-stdlib`), then stripped, as the Dockerfile does — or, with
#      TARBALL set, the binary inside that release tarball (`make dist`), whose contents are checked too;
#   2. its dynamic dependencies are only the C libraries the runtime image installs: glibc (libc, libm,
#      the dynamic loader), libstdc++, libgcc_s, libcurl and libarchive — plus what those two pull in
#      themselves, which their Debian packages bring along;
#   3. it needs no glibc newer than Debian 12's (2.36);
#   4. it runs (`--version`, every symbol bound at start) inside a bare Debian 12 root made by
#      `debootstrap --variant=minbase` with only libcurl4, libarchive13 and ca-certificates added; a
#      tarball's bash completion loads there too.
# Step 4 needs root (chroot) and the Debian mirror; debootstrap is installed here when missing. Set
# SKIP_ROOTFS=1 to stop after step 3. The root is cached in $ROOTFS (delete it to start over).
# `make check-image` runs it on the tarball `make dist` just made.
#
# Environment: SWIFT (swift), SCRATCH_PATH (.build), OUT (.build/image), ROOTFS (.build/bookworm-root),
# DEBIAN_MIRROR (http://deb.debian.org/debian), TARBALL (none: build the binary here).
set -euo pipefail
cd "$(dirname "$0")/.."

swift=${SWIFT:-swift}
scratch=${SCRATCH_PATH:-.build}
out=${OUT:-.build/image}
rootfs=${ROOTFS:-.build/bookworm-root}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
suite=bookworm
glibc_ceiling=2.36
runtime_packages=libcurl4,libarchive13,ca-certificates

step() { printf '\n== %s\n' "$*"; }
fail() {
  printf 'check-image: %s\n' "$*" >&2
  exit 1
}

tarball=${TARBALL:-}
mkdir -p "$out"
if [ -n "$tarball" ]; then
  step "the release tarball $tarball"
  [ -f "$tarball" ] || fail "$tarball does not exist: run make dist"
  listing=$(tar -tvzf "$tarball")
  printf '%s\n' "$listing"
  entries=$(tar -tzf "$tarball")
  top=${entries%%/*}
  [[ $top =~ ^release-linker-[0-9][^/]*-linux$ ]] || fail "$tarball does not start with a folder release-linker-VERSION-ARCH-linux/"
  expected=$(printf '%s\n' "$top/" "$top/CHANGELOG.md" "$top/LICENSE" "$top/README.md" \
    "$top/completions/" "$top/completions/_release-linker" "$top/completions/release-linker.bash" \
    "$top/completions/release-linker.fish" "$top/man/" "$top/man/release-linker.1" "$top/release-linker")
  [ "$entries" = "$expected" ] \
    || fail "$tarball does not hold exactly, in this order: $(tr '\n' ' ' <<<"$expected")"
  awk '$2 != "0/0" { exit 1 }' <<<"$listing" || fail "$tarball has entries not owned by 0/0"
  [ "$(awk '{ print $4, $5 }' <<<"$listing" | sort -u | wc -l)" -eq 1 ] \
    || fail "$tarball's entries do not all have the same time stamp"
  rm -rf "$out/tarball" && mkdir -p "$out/tarball"
  tar -xzf "$tarball" -C "$out/tarball"
  binary=$out/tarball/$top/release-linker
  printf 'binary: %s (from the tarball)\nsize: %s bytes stripped (%s MiB)\n' "$binary" \
    "$(stat -c %s "$binary")" "$(awk "BEGIN { printf \"%.1f\", $(stat -c %s "$binary") / 1048576 }")"
  [ "$(readelf -S "$binary" | grep -c '\.symtab')" -eq 0 ] || fail "the tarball's binary is not stripped"
else
  step "release build, Swift standard library linked statically"
  "$swift" build -c release --static-swift-stdlib --product release-linker --scratch-path "$scratch"
  bin_dir=$("$swift" build -c release --static-swift-stdlib --scratch-path "$scratch" --show-bin-path)
  cp "$bin_dir/release-linker" "$out/release-linker.unstripped"
  cp "$bin_dir/release-linker" "$out/release-linker"
  strip "$out/release-linker"
  binary=$out/release-linker
  size_unstripped=$(stat -c %s "$out/release-linker.unstripped")
  size_stripped=$(stat -c %s "$binary")
  printf 'binary: %s\nsize: %s bytes stripped (%s MiB), %s bytes before strip\n' "$binary" \
    "$size_stripped" "$(awk "BEGIN { printf \"%.1f\", $size_stripped / 1048576 }")" "$size_unstripped"
fi
"$binary" --version

step "direct dependencies (DT_NEEDED)"
mapfile -t needed < <(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
printf '  %s\n' "${needed[@]}"
allowed_direct='^(libc\.so\.6|libm\.so\.6|ld-linux-[a-z0-9_-]+\.so\.[0-9]+|libstdc\+\+\.so\.6|libgcc_s\.so\.1|libcurl\.so\.4|libarchive\.so\.13|libdl\.so\.2|libpthread\.so\.0|librt\.so\.1|libutil\.so\.1)$'
for library in "${needed[@]}"; do
  [[ $library =~ $allowed_direct ]] \
    || fail "$library is linked directly but the runtime image does not install it (allowed: glibc, libstdc++, libgcc_s, libcurl, libarchive)"
done
for required in libcurl.so.4 libarchive.so.13; do
  printf '%s\n' "${needed[@]}" | grep -qx "$required" || fail "$required is not linked: is this the right binary?"
done

step "everything the loader maps (ldd), with the Debian package providing it"
ldd_output=$(ldd "$binary")
if grep -q 'not found' <<<"$ldd_output"; then
  printf '%s\n' "$ldd_output"
  fail "a library is missing on this machine"
fi
# (Debian's own libicu comes in through libxml2, a dependency of libarchive13; Swift's is _FoundationICU.)
if grep -Eq 'libswift|libFoundation|lib_Foundation|libdispatch|libBlocksRuntime' <<<"$ldd_output"; then
  printf '%s\n' "$ldd_output"
  fail "the Swift runtime or Foundation is linked dynamically: was --static-swift-stdlib ignored?"
fi
# dpkg knows a file by the path its package ships, which /usr-merge may hide behind a symlink.
package_of() {
  local candidate
  for candidate in "$1" "$(readlink -f "$1")" "/usr$1" "${1#/usr}"; do
    dpkg -S "$candidate" 2>/dev/null | cut -d: -f1 | head -n1 | grep . && return
  done
  echo "?"
}
while read -r name _ path _; do
  case $name in
    linux-vdso.so.*) printf '  %-28s (kernel)\n' "$name" ;;
    /*) printf '  %-28s %s\n' "$(basename "$name")" "$(package_of "$name")" ;;
    *) printf '  %-28s %s\n' "$name" "$(package_of "$path")" ;;
  esac
done <<<"$ldd_output"
printf '%s libraries in all; the ones not named above are dependencies of libcurl4 and libarchive13.\n' \
  "$(wc -l <<<"$ldd_output")"

step "glibc symbol versions (must be <= $glibc_ceiling, Debian 12)"
newest=$(objdump -T "$binary" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n1)
printf 'newest glibc symbol version required: %s\n' "$newest"
if [ "$(printf '%s\n%s\n' "$newest" "$glibc_ceiling" | sort -V | tail -n1)" != "$glibc_ceiling" ]; then
  fail "the binary needs glibc $newest; Debian 12 has $glibc_ceiling: build on Debian 12 or older"
fi

if [ "${SKIP_ROOTFS:-0}" = 1 ]; then
  printf '\ncheck-image: passed (bare-root run skipped: SKIP_ROOTFS=1)\n'
  exit 0
fi

step "run inside a bare Debian 12 root (debootstrap --variant=minbase + $runtime_packages)"
[ "$(id -u)" -eq 0 ] || fail "running inside the Debian root needs root (chroot); rerun as root or set SKIP_ROOTFS=1"
if ! command -v debootstrap >/dev/null; then
  echo "check-image: installing debootstrap"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
fi
if [ ! -f "$rootfs/.release-linker-rootfs" ]; then
  rm -rf "$rootfs"
  debootstrap --variant=minbase --include="$runtime_packages" "$suite" "$rootfs" "$mirror" \
    >"$out/debootstrap.log" 2>&1 || {
    tail -n 20 "$out/debootstrap.log" >&2
    fail "debootstrap failed (log: $out/debootstrap.log)"
  }
  touch "$rootfs/.release-linker-rootfs"
fi
printf 'root: %s (%s MiB), Debian %s\n' "$rootfs" "$(du -sm --exclude=proc "$rootfs" | cut -f1)" \
  "$(cat "$rootfs/etc/debian_version")"
for package in libcurl4 libarchive13 ca-certificates libstdc++6 libgcc-s1; do
  printf '  %-16s %s\n' "$package" "$(chroot "$rootfs" dpkg-query -W -f='${Version}' "$package")"
done
# No Swift runtime anywhere in the root: the binary must not find one by accident.
if find "$rootfs" -name 'libswift*' -print -quit | grep -q .; then
  fail "the Debian root contains Swift libraries; it is not a bare root"
fi
install -D -m 0755 "$binary" "$rootfs/usr/local/bin/release-linker"
if [ -n "$tarball" ]; then
  # Installed as the README says: the binary on PATH, the completion where bash-completion looks.
  install -D -m 0644 "$out/tarball/$top/completions/release-linker.bash" \
    "$rootfs/usr/share/bash-completion/completions/release-linker"
fi
# As in a container: its own mount and process namespaces with /proc mounted (a statically linked Swift
# runtime reads its arguments from /proc/self/cmdline), an empty environment, and LD_BIND_NOW so that a
# missing symbol fails at start rather than mid-run.
in_root() {
  unshare --mount --pid --fork --mount-proc="$rootfs/proc" \
    chroot "$rootfs" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin LD_BIND_NOW=1 "$@"
}
expected_version=$("$binary" --version)
version=$(in_root release-linker --version)
printf 'release-linker --version in the bare root: %s\n' "$version"
[ "$version" = "$expected_version" ] || fail "expected --version to print $expected_version"
in_root release-linker --help | grep -q '^USAGE: release-linker' || fail "release-linker --help printed no usage"
printf 'release-linker --help in the bare root: ok\n'
if [ -n "$tarball" ]; then
  completion=$(in_root /bin/bash -c \
    '. /usr/share/bash-completion/completions/release-linker && complete -p release-linker') \
    || fail "the tarball's bash completion does not load in the bare root"
  printf 'bash completion in the bare root: %s\n' "$completion"
fi
# With the scan command built in, read real archives in the root: libarchive with zlib and liblzma,
# and the SHA-256 of each entry, exactly as on the build machine.
if "$binary" --help | grep -q '^  scan '; then
  work=$rootfs/tmp/release-linker-check
  rm -rf "$work" && mkdir -p "$work/dist/bin"
  printf 'hello from the bare root\n' >"$work/dist/bin/hello-linux-amd64"
  printf '# runbook\n' >"$work/dist/README.md"
  tar -C "$work/dist" -czf "$work/assets.tar.gz" bin README.md
  tar -C "$work/dist" -cJf "$work/assets.tar.xz" bin README.md
  expected_sha=$(sha256sum "$work/dist/bin/hello-linux-amd64" | cut -d' ' -f1)
  for archive in assets.tar.gz assets.tar.xz; do
    scanned=$(in_root release-linker scan --archive "/tmp/release-linker-check/$archive" \
      --root /tmp/release-linker-check --url-template 'https://downloads.example.com/{path}' \
      --output json) || fail "release-linker scan --archive $archive failed in the bare root"
    grep -q "$expected_sha" <<<"$scanned" \
      || fail "scan of $archive in the bare root does not report bin/hello-linux-amd64's SHA-256"
    grep -q '"artifact_path" *: *"README.md"' <<<"$scanned" \
      || fail "scan of $archive in the bare root does not list README.md"
    printf 'release-linker scan --archive %s in the bare root: both entries, checksums match\n' "$archive"
  done
  rm -rf "$work"
else
  printf 'release-linker scan: not in this build, archive reading not exercised in the bare root\n'
fi
chroot "$rootfs" /usr/bin/env -i LD_TRACE_LOADED_OBJECTS=1 /usr/local/bin/release-linker >"$out/ldd-in-root.txt"
if grep -q 'not found' "$out/ldd-in-root.txt"; then
  cat "$out/ldd-in-root.txt"
  fail "a library is missing in the bare root"
fi
printf '%s libraries resolved in the bare root (list: %s)\n' "$(wc -l <"$out/ldd-in-root.txt")" \
  "$out/ldd-in-root.txt"
printf '\ncheck-image: passed\n'
