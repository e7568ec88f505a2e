#!/usr/bin/env bash
# The main job end to end, against the bundled GitLab emulator (or a real GitLab when CI_API_V4_URL and
# a token are set): build some artifacts, publish one release link per asset, show what the server holds,
# download every link as a person would (emulator only), then run the same job again to show that a
# re-run changes nothing.
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

export CI_PROJECT_DIR="$work/project"
echo "== Building artifacts in $CI_PROJECT_DIR"
mkdir -p "$CI_PROJECT_DIR/bin" "$CI_PROJECT_DIR/packages" "$CI_PROJECT_DIR/docs"
head -c 1048576 /dev/urandom >"$CI_PROJECT_DIR/bin/hello-darwin-amd64"
head -c 900000 /dev/urandom >"$CI_PROJECT_DIR/bin/hello-linux-amd64"
head -c 4096 /dev/urandom >"$CI_PROJECT_DIR/packages/hello_1.7.0_amd64.deb"
printf '# Runbook\nRestart with `hello --restart`.\n' >"$CI_PROJECT_DIR/docs/runbook.md"
(cd "$CI_PROJECT_DIR" && find . -type f | sort)

emulated=false
if [ -z "${CI_API_V4_URL:-}" ]; then
  emulated=true
  # What GitLab keeps of the build job 688 once it ends: its artifacts archive, whose files the
  # links will point at.
  (cd "$CI_PROJECT_DIR" && python3 -c '
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as archive:
    for path in sys.argv[2:]:
        archive.write(path)
' "$work/artifacts.zip" bin/hello-darwin-amd64 bin/hello-linux-amd64 packages/hello_1.7.0_amd64.deb docs/runbook.md)
  echo
  echo "== Starting the GitLab emulator (project 20 = mynamespace/hello, release v1.7.0, job 688's artifacts)"
  "$bin/gitlab-emulator" --port 0 \
    --project 20:mynamespace/hello --release 20:v1.7.0 \
    --artifacts "20:688:$work/artifacts.zip" \
    --job-token demo-job-token:20 >"$work/emulator.log" 2>&1 &
  emulator_pid=$!
  for _ in $(seq 1 100); do
    if grep -q '^listening on ' "$work/emulator.log" 2>/dev/null; then break; fi
    sleep 0.1
  done
  base=$(sed -n 's/^listening on //p' "$work/emulator.log" | head -n 1)
  if [ -z "$base" ]; then echo "the emulator did not start:"; cat "$work/emulator.log"; exit 1; fi
  export CI_API_V4_URL="$base/api/v4" CI_SERVER_URL="$base" CI_PROJECT_ID=20 \
    CI_PROJECT_PATH=mynamespace/hello CI_PROJECT_URL="$base/mynamespace/hello" CI_COMMIT_TAG=v1.7.0 \
    CI_JOB_ID=688 CI_JOB_NAME=release CI_JOB_TOKEN=demo-job-token
  unset GITLAB_TOKEN
fi

echo
echo "== release-linker publish bin packages docs"
(cd "$CI_PROJECT_DIR" && "$bin/release-linker" publish bin packages docs)

echo
echo "== What the server holds now (release-linker links list)"
COLUMNS=160 "$bin/release-linker" links list

if $emulated; then
  # Against a real GitLab the links point at this job's artifacts, which exist once the job ends.
  echo
  echo "== Does every link download? (release-linker verify)"
  "$bin/release-linker" verify
fi

echo
echo "== The same job again: nothing to write"
(cd "$CI_PROJECT_DIR" && "$bin/release-linker" publish bin packages docs)
