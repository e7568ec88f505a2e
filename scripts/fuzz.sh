#!/usr/bin/env bash
# Builds the libFuzzer targets of Fuzz/ and runs each for a set time over its committed seed corpus.
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET ...]     (default 60 s, every target)
# New inputs go to .build-fuzz/corpus/<target>/ (not committed); a crash leaves its input in
# .build-fuzz/findings/ and fails the run: turn it into a regression test and add it to Fuzz/Corpus/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
if ((${#targets[@]} == 0)); then
  targets=(archive-scan link-derivation server-answers glob-template manifest package-listing)
fi
scratch=.build-fuzz
# Coverage counters in every module, AddressSanitizer everywhere; each target links libFuzzer.
build=(swift build --package-path Fuzz --scratch-path "$scratch" --sanitize address
  -Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table)
for target in "${targets[@]}"; do
  "${build[@]}" --product "fuzz-$target" 2>&1 | grep -Ev 'ld.gold: warning|^\[' || true
done
bin=$("${build[@]}" --show-bin-path)
mkdir -p "$scratch/findings"
failed=0
for target in "${targets[@]}"; do
  corpus="$scratch/corpus/$target"
  mkdir -p "$corpus"
  log="$scratch/findings/$target.log"
  printf '== fuzz-%s for %s s\n' "$target" "$seconds"
  if (cd "$scratch/findings" && "$bin/fuzz-$target" -max_total_time="$seconds" \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    "$OLDPWD/$corpus" "$OLDPWD/Fuzz/Corpus/$target") >"$log" 2>&1; then
    grep -E '^stat::number_of_executed_units|^stat::new_units_added|cov: ' "$log" | tail -3
  else
    failed=1
    printf 'fuzz-%s found a crash: see %s and the crash-* input beside it\n' "$target" "$log"
    grep -E 'invariant broken|ERROR: AddressSanitizer|Fatal error|SUMMARY' "$log" | head -5
  fi
done
exit "$failed"
