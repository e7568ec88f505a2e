#!/usr/bin/env bash
# Installs what building and testing release-linker needs, only where it is missing, so a second run is
# quick. Works as root (CI, containers) or through sudo.
#   scripts/setup.sh          everything: the libraries, the test tools, python-gitlab
#   scripts/setup.sh build    only what a build needs (the pipeline's release builds)
#   scripts/setup.sh sanitize everything, and valgrind for `make sanitize`
set -euo pipefail

# zlib1g-dev: the emulator reads deflated zip entries (CZlib); libcurl4-openssl-dev happens to pull it
# in today, but the build should not rely on that.
build_packages=(libcurl4-openssl-dev libarchive-dev zlib1g-dev pkg-config)
test_packages=(libarchive-tools zstd xz-utils bzip2 zip unzip p7zip-full openssl stunnel4 curl)
case ${1:-} in
  "") packages=("${build_packages[@]}" "${test_packages[@]}") ;;
  sanitize) packages=("${build_packages[@]}" "${test_packages[@]}" valgrind) ;;
  build) packages=("${build_packages[@]}") ;;
  *)
    echo "usage: scripts/setup.sh [build|sanitize]" >&2
    exit 64
    ;;
esac

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]})); then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

[ "${1:-}" = build ] && exit 0

python=${PYTHON:-python3}
if ! "$python" -c 'import gitlab' 2>/dev/null; then
  echo "setup: installing python-gitlab (used by the tests as an independent client)"
  "$python" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore python-gitlab \
    || "$python" -m pip install --quiet --disable-pip-version-check --break-system-packages python-gitlab
fi
