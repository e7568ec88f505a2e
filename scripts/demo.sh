#!/usr/bin/env bash
# The main job end to end, against the bundled GitLab emulator (or a real GitLab when CI_API_V4_URL and
# a token are set): build some artifacts, publish one release link per asset, show what the server holds,
# then run the same job again to show that a re-run changes nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(swift build --show-bin-path)
work=$(mktemp -d)
emulator_pid=""
cleanup() {
  if [ -n "$emulator_pid" ]; then kill "$emulator_pid" 2>/dev/null || true; wait "$emulator_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

if [ -z "${CI_API_V4_URL:-}" ]; then
  echo "== Starting the GitLab emulator (project 20 = mynamespace/hello, release v1.7.0)"
  "$bin/gitlab-emulator" --port 0 --server-url https://gitlab.example.com \
    --project 20:mynamespace/hello --release 20:v1.7.0 \
    --job-token demo-job-token:20 >"$work/emulator.log" 2>&1 &
  emulator_pid=$!
  for _ in $(seq 1 100); do
    if grep -q '^listening on ' "$work/emulator.log" 2>/dev/null; then break; fi
    sleep 0.1
  done
  base=$(sed -n 's/^listening on //p' "$work/emulator.log" | head -n 1)
  if [ -z "$base" ]; then echo "the emulator did not start:"; cat "$work/emulator.log"; exit 1; fi
  export CI_API_V4_URL="$base/api/v4" CI_PROJECT_ID=20 CI_PROJECT_PATH=mynamespace/hello \
    CI_PROJECT_URL=https://gitlab.example.com/mynamespace/hello CI_COMMIT_TAG=v1.7.0 CI_JOB_ID=688 \
    CI_JOB_NAME=release CI_JOB_TOKEN=demo-job-token
  unset GITLAB_TOKEN
fi
export CI_PROJECT_DIR="$work/project"

echo "== Building artifacts in $CI_PROJECT_DIR"
mkdir -p "$CI_PROJECT_DIR/bin" "$CI_PROJECT_DIR/packages" "$CI_PROJECT_DIR/docs"
head -c 1048576 /dev/urandom >"$CI_PROJECT_DIR/bin/hello-darwin-amd64"
head -c 900000 /dev/urandom >"$CI_PROJECT_DIR/bin/hello-linux-amd64"
head -c 4096 /dev/urandom >"$CI_PROJECT_DIR/packages/hello_1.7.0_amd64.deb"
printf '# Runbook\nRestart with `hello --restart`.\n' >"$CI_PROJECT_DIR/docs/runbook.md"
(cd "$CI_PROJECT_DIR" && find . -type f | sort)

echo
echo "== release-linker publish bin packages docs"
(cd "$CI_PROJECT_DIR" && "$bin/release-linker" publish bin packages docs)

echo
echo "== What the server holds now (release-linker links list)"
"$bin/release-linker" links list

echo
echo "== The same job again: nothing to write"
(cd "$CI_PROJECT_DIR" && "$bin/release-linker" publish bin packages docs)
