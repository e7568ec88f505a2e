#!/usr/bin/env bash
# make dist: this machine's release tarball, the same bytes every time, and the checksums of dist/.
#
#   dist/release-linker-ARCH-linux.tar.gz    ARCH as `uname -m` names it: x86_64 or aarch64
#     release-linker-VERSION-ARCH-linux/
#       release-linker                       the release build, Swift standard library static, stripped
#       man/release-linker.1                 the man page (scripts/generate-reference.sh, from the binary)
#       completions/release-linker.bash      completions/_release-linker (zsh)  completions/release-linker.fish
#       CHANGELOG.md  LICENSE  README.md
#   dist/SHA256SUMS                          `sha256sum -c` lines for every tarball in dist/
#
# The tarball's name has no version, so the release's permanent link to the latest release
# (<project>/-/releases/permalink/latest/downloads/release-linker-ARCH-linux.tar.gz) never changes; the
# folder inside it says the version. Reproducible: names sorted, every mtime SOURCE_DATE_EPOCH (default:
# the last commit's time), owner and group 0, fixed modes, `gzip -n` (no name, no time stamp).
#
# Environment:
#   DIST_DIR (dist), DIST_ARCH (this machine's `uname -m`: a build makes only this machine's binary),
#   SWIFT (swift), SCRATCH_PATH (.build), SOURCE_DATE_EPOCH (the last commit's time),
#   RELEASE_LINKER_BINARY: package this binary instead of building one. DIST_ARCH then names its
#     architecture (default: the one its ELF header says).
set -euo pipefail
cd "$(dirname "$0")/.."

swift=${SWIFT:-swift}
scratch=${SCRATCH_PATH:-.build}
dist_dir=${DIST_DIR:-dist}

fail() {
  printf 'dist: %s\n' "$*" >&2
  exit 1
}

# The architecture an ELF file is for, in `uname -m` words.
elf_arch() {
  local machine
  machine=$(LC_ALL=C readelf -h "$1" 2>/dev/null | sed -n 's/^ *Machine: *//p')
  case $machine in
    *X86-64*) echo x86_64 ;;
    AArch64) echo aarch64 ;;
    "") fail "$1 is not an ELF executable" ;;
    *) echo "$machine" ;;
  esac
}

version=$(./scripts/version.sh)

if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
  epoch=$SOURCE_DATE_EPOCH
else
  epoch=$(git log -1 --format=%ct 2>/dev/null) \
    || fail "no git history here to take the time stamp from: set SOURCE_DATE_EPOCH (seconds since 1970)"
fi
[[ $epoch =~ ^[0-9]+$ ]] || fail "SOURCE_DATE_EPOCH must be seconds since 1970, not '$epoch'"

if [ -n "${RELEASE_LINKER_BINARY:-}" ]; then
  built=$RELEASE_LINKER_BINARY
  [ -x "$built" ] || fail "RELEASE_LINKER_BINARY=$built is not an executable file"
  arch=${DIST_ARCH:-$(elf_arch "$built")}
  if [ "$arch" != "$(elf_arch "$built")" ]; then
    printf 'dist: note: packaging a %s binary under the name %s (DIST_ARCH)\n' "$(elf_arch "$built")" \
      "$arch" >&2
  fi
else
  arch=$(uname -m)
  [ "${DIST_ARCH:-$arch}" = "$arch" ] \
    || fail "this machine is $arch and builds only $arch binaries; build the $DIST_ARCH tarball on a $DIST_ARCH machine (in CI: a runner of that architecture)"
  pkg-config --exists libcurl libarchive 2>/dev/null \
    || fail "the build needs libcurl's and libarchive's headers: run make setup (or apt-get install libcurl4-openssl-dev libarchive-dev pkg-config)"
  printf 'dist: release build for %s, Swift standard library linked statically\n' "$arch"
  "$swift" build -c release --static-swift-stdlib --product release-linker --scratch-path "$scratch"
  built=$("$swift" build -c release --static-swift-stdlib --scratch-path "$scratch" --show-bin-path)/release-linker
  [ "$(elf_arch "$built")" = "$arch" ] || fail "the build made a $(elf_arch "$built") binary on $arch"
fi

top=release-linker-$version-$arch-linux
tarball=$dist_dir/release-linker-$arch-linux.tar.gz
staging=$(mktemp -d "${TMPDIR:-/tmp}/release-linker-dist.XXXXXX")
trap 'rm -rf "$staging"' EXIT
root=$staging/$top
mkdir -p "$root/man" "$root/completions"

install -m 0755 "$built" "$root/release-linker"
strip "$root/release-linker"
binary_version=$(env -i "$root/release-linker" --version </dev/null)
[ "$binary_version" = "$version" ] \
  || fail "the binary says it is $binary_version but CHANGELOG.md's newest version is $version: was it built from these sources?"

./scripts/generate-reference.sh "$root/release-linker" "$staging/reference" >/dev/null
install -m 0644 "$staging/reference/release-linker.1" "$root/man/release-linker.1"
for shell in bash zsh fish; do
  case $shell in
    bash) file=release-linker.bash ;;
    zsh) file=_release-linker ;;
    fish) file=release-linker.fish ;;
  esac
  env -i "$root/release-linker" --generate-completion-script "$shell" </dev/null \
    >"$root/completions/$file"
  [ -s "$root/completions/$file" ] || fail "--generate-completion-script $shell printed nothing"
done
install -m 0644 CHANGELOG.md LICENSE README.md "$root/"
chmod 0644 "$root"/completions/*
find "$root" -type d -exec chmod 0755 {} +

mkdir -p "$dist_dir"
# GNU tar: --sort=name fixes the order of entries, --mtime/--owner/--group/--numeric-owner their
# metadata; the gnu format stores no access or change times. gzip -n leaves out the name and time.
tar --sort=name --format=gnu --mtime="@$epoch" --owner=0 --group=0 --numeric-owner \
  -C "$staging" -cf - "$top" | gzip -n -9 >"$tarball.partial"
mv "$tarball.partial" "$tarball"
./scripts/sha256sums.sh "$dist_dir"

printf 'dist: %s (%s bytes; %s inside; binary %s bytes)\n' "$tarball" "$(stat -c %s "$tarball")" \
  "$top/" "$(stat -c %s "$root/release-linker")"
printf 'dist: sha256 %s\n' "$(sha256sum "$tarball" | cut -d' ' -f1)"
