#!/usr/bin/env bash
# The test suite under the sanitizers, and the leak checks of the real binary against the emulator.
#   scripts/sanitize.sh [asan|tsan|leaks|valgrind ...]     (default: asan tsan leaks valgrind)
#   asan      build the tests with AddressSanitizer (.build-asan) and run the whole suite; the
#             release-linker and gitlab-emulator the tests start are the ASan builds too
#   tsan      the same with ThreadSanitizer (.build-tsan)
#   leaks     LeakSanitizer on the ASan release-linker: a 1,000-link publish and a 1 GiB
#             `publish --upload generic`, each against a fresh gitlab-emulator
#   valgrind  valgrind --leak-check=full on the debug release-linker (.build): the 1,000-link publish
# Every report goes to .build-{asan,tsan}/reports/ (log_path), so a finding in a process a test
# started is seen even when the test only looked at its exit status. A report, a failed test or a
# leak fails the run. Suppressions, each with its reason: scripts/sanitizers/*.supp.
# TEST_FILTER=REGEX runs only the matching tests (swift test --filter).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
modes=("$@")
if ((${#modes[@]} == 0)); then modes=(asan tsan leaks valgrind); fi
filter=()
if [ -n "${TEST_FILTER:-}" ]; then filter=(--filter "$TEST_FILTER"); fi
failed=0

# ":suppressions=FILE" for a sanitizer whose suppression file exists (each entry says why).
suppressions() {
  local file=$root/scripts/sanitizers/$1.supp
  if [ -f "$file" ]; then printf ':suppressions=%s' "$file"; fi
}

# Prints the reports a run left, and fails it when there is one.
check_reports() {
  local reports=$1 what=$2
  # LeakSanitizer also writes a file listing the suppressions it used; only findings count.
  local files=()
  mapfile -t files < <(grep -l -E '^(WARNING: ThreadSanitizer|==[0-9]+==ERROR: )' -r "$reports" || true)
  if ((${#files[@]})); then
    failed=1
    printf '%s: findings from %d process(es), in %s\n' "$what" "${#files[@]}" "$reports"
    grep -h -E '^SUMMARY' "${files[@]}" | sed 's/(pid=[0-9]*)//' \
      | sort | uniq -c | sort -rn | head -20
  else
    printf '%s: no sanitizer report\n' "$what"
  fi
}

# Builds the tests with `--sanitize=$1` into $2 and runs the suite there.
suite() {
  local sanitizer=$1 scratch=$2 options_name=$3 options=$4
  local reports="$root/$scratch/reports"
  local flags=(--sanitize="$sanitizer" --scratch-path "$scratch")
  printf '== swift build --build-tests %s\n' "${flags[*]}"
  local start=$SECONDS
  swift build --build-tests "${flags[@]}" 2>&1 | grep -Ev '^\[|ld.gold: warning' || true
  printf 'built in %d s\n' $((SECONDS - start))
  rm -rf "$reports"
  mkdir -p "$reports"
  start=$SECONDS
  local status=0
  env "$options_name=$options:log_path=$reports/$sanitizer" \
    swift test --skip-build "${flags[@]}" --parallel --num-workers 2 "${filter[@]}" \
    >"$scratch/test-output.txt" 2>&1 || status=$?
  local took=$((SECONDS - start))
  grep -E '^(Test Suite|Executed|error:)|with [0-9]+ tests? (passed|failed)|[0-9]+ tests? (passed|failed)' \
    "$scratch/test-output.txt" | tail -5 || true
  printf '%s suite: exit %d in %d s (full output in %s/test-output.txt)\n' "$sanitizer" "$status" \
    "$took" "$scratch"
  if ((status != 0)); then
    failed=1
    grep -E 'error: .*(failed|XCTAssert)|: error: ' "$scratch/test-output.txt" | head -20 || true
  fi
  check_reports "$reports" "$sanitizer suite"
}

# The emulator in the background, on a free port, with uploads written to $work/storage; sets $api.
emulator_pid=""
start_emulator() {
  local bin=$1 work=$2
  mkdir -p "$work/storage"
  # The emulator is a test tool: only release-linker's own leaks are checked here.
  ASAN_OPTIONS=detect_leaks=0 "$bin/gitlab-emulator" --port 0 --project 20:mynamespace/hello \
    --release 20:v1.7.0 --job-token leak-job-token:20 --storage-dir "$work/storage" \
    >"$work/emulator.log" 2>&1 &
  emulator_pid=$!
  for _ in $(seq 1 300); do
    if grep -q '^listening on ' "$work/emulator.log" 2>/dev/null; then break; fi
    sleep 0.1
  done
  local base
  base=$(sed -n 's/^listening on //p' "$work/emulator.log" | head -n 1)
  if [ -z "$base" ]; then
    cat "$work/emulator.log"
    return 1
  fi
  api="$base/api/v4"
  export CI_API_V4_URL=$api CI_PROJECT_ID=20 CI_PROJECT_PATH=mynamespace/hello \
    CI_PROJECT_URL=$base/mynamespace/hello CI_COMMIT_TAG=v1.7.0 CI_JOB_ID=688 CI_JOB_NAME=release \
    CI_JOB_TOKEN=leak-job-token CI_PROJECT_DIR=$work/project
  unset GITLAB_TOKEN
}
stop_emulator() {
  if [ -n "$emulator_pid" ]; then
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
    emulator_pid=""
  fi
}

# The links the emulator's release holds.
count_links() {
  curl --silent --fail "${api%/api/v4}/-/emulator/links/20/v1.7.0" \
    | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))'
}

make_thousand_files() {
  local dir=$1
  mkdir -p "$dir/dist"
  for i in $(seq -w 0 999); do printf 'asset %s\n' "$i" >"$dir/dist/hello-$i.bin"; done
}

# One leak check: runs "$@" in $work/project, prints a result line, fails the run on a leak.
leak_run() {
  local label=$1 expect_links=$2
  shift 2
  local start=$SECONDS status=0
  (cd "$CI_PROJECT_DIR" && "$@") >"$work/$label.out" 2>"$work/$label.err" || status=$?
  local took=$((SECONDS - start)) links
  links=$(count_links)
  printf '%s: exit %d in %d s, the release holds %s links (expected %s)\n' "$label" "$status" \
    "$took" "$links" "$expect_links"
  if ((status != 0)) || [ "$links" != "$expect_links" ]; then
    failed=1
    tail -20 "$work/$label.err"
  fi
}

leaks() {
  local bin=$root/.build-asan/debug
  [ -x "$bin/release-linker" ] || {
    echo "leaks: build the ASan binaries first: scripts/sanitize.sh asan"
    return 1
  }
  local reports=$root/.build-asan/leak-reports
  rm -rf "$reports"
  mkdir -p "$reports"
  work=$(mktemp -d)
  trap 'stop_emulator; rm -rf "$work"' EXIT
  local lsan="detect_leaks=1:log_path=$reports/lsan"
  LSAN_OPTIONS="${LSAN_OPTIONS:-}$(suppressions lsan)"
  export LSAN_OPTIONS=${LSAN_OPTIONS#:}

  printf '== LeakSanitizer: release-linker publish of 1,000 links\n'
  start_emulator "$bin" "$work"
  make_thousand_files "$CI_PROJECT_DIR"
  leak_run lsan-publish-1000 1000 env ASAN_OPTIONS="$lsan" "$bin/release-linker" publish dist \
    --output json
  stop_emulator
  check_reports "$reports" "LeakSanitizer, 1,000-link publish"

  printf '== LeakSanitizer: release-linker publish --upload generic of a 1 GiB file\n'
  rm -rf "$work/project" "$work/storage"
  start_emulator "$bin" "$work"
  mkdir -p "$CI_PROJECT_DIR"
  head -c 1073741824 /dev/urandom >"$CI_PROJECT_DIR/big.bin"
  leak_run lsan-upload-1gib 1 env ASAN_OPTIONS="$lsan" "$bin/release-linker" publish big.bin \
    --upload generic --package-name leaks --package-version 1.0 --output json
  local stored
  stored=$(curl --silent --fail "${api%/api/v4}/-/emulator/stats" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["uploaded_bytes"])')
  printf 'lsan-upload-1gib: the emulator stored %s bytes (expected 1073741824)\n' "$stored"
  [ "$stored" = 1073741824 ] || failed=1
  stop_emulator
  rm -rf "$work/project"
  check_reports "$reports" "LeakSanitizer, 1 GiB upload"
}

valgrind_publish() {
  command -v valgrind >/dev/null || {
    echo "valgrind: not installed (scripts/setup.sh sanitize installs it)"
    return 1
  }
  # VALGRIND_BIN_DIR=DIR takes release-linker and gitlab-emulator from DIR instead of building them.
  local bin=${VALGRIND_BIN_DIR:-}
  if [ -z "$bin" ]; then
    printf '== swift build --product release-linker --product gitlab-emulator (debug, .build)\n'
    swift build --product release-linker 2>&1 | grep -Ev '^\[' || true
    swift build --product gitlab-emulator 2>&1 | grep -Ev '^\[' || true
    bin=$(swift build --show-bin-path)
  fi
  work=$(mktemp -d)
  trap 'stop_emulator; rm -rf "$work"' EXIT
  printf '== valgrind --leak-check=full: release-linker publish of 1,000 links\n'
  start_emulator "$bin" "$work"
  make_thousand_files "$CI_PROJECT_DIR"
  # Definite and indirect losses fail the run; "possibly lost" and "still reachable" are the
  # runtime's caches and globals alive at exit (type metadata, libcurl's and OpenSSL's
  # process-wide state), counted in the summary but not errors.
  leak_run valgrind-publish-1000 1000 valgrind --leak-check=full --show-leak-kinds=definite,indirect \
    --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
    $(suppressions valgrind | sed 's/^:/--/') --log-file="$root/.build-asan/valgrind.log" \
    "$bin/release-linker" publish dist --output json
  grep -E 'definitely lost|indirectly lost|possibly lost|still reachable|ERROR SUMMARY|Invalid' \
    "$root/.build-asan/valgrind.log" | sed 's/^==[0-9]*== *//' | sort | uniq -c
  stop_emulator
}

for mode in "${modes[@]}"; do
  case $mode in
    asan)
      # LeakSanitizer too: every release-linker and gitlab-emulator the tests start is checked at
      # its exit (CLIRunner passes these settings on).
      LSAN_OPTIONS="${LSAN_OPTIONS:-}$(suppressions lsan)"
      export LSAN_OPTIONS=${LSAN_OPTIONS#:}
      # A quarantine of 32 MiB of freed memory, not 256: the default alone would exceed the 64 MiB
      # bound LargeUploadTests puts on the emulator's peak memory while 300 MiB stream through it;
      # 32 MiB still holds every buffer of the last few hundred requests.
      suite address .build-asan ASAN_OPTIONS "detect_leaks=1:quarantine_size_mb=32$(suppressions asan)"
      ;;
    tsan)
      suite thread .build-tsan TSAN_OPTIONS "halt_on_error=0$(suppressions tsan)"
      ;;
    leaks) leaks ;;
    valgrind) valgrind_publish ;;
    *)
      echo "usage: scripts/sanitize.sh [asan|tsan|leaks|valgrind ...]" >&2
      exit 64
      ;;
  esac
done
exit "$failed"
