#!/bin/sh
# Prints release-linker's version: the newest version heading (`## X.Y.Z`) of CHANGELOG.md, after
# checking that Sources/ReleaseLinkerCore/Base/ReleaseLinkerVersion.swift (what `--version` prints)
# says the same.
#   scripts/version.sh                 the version
#   scripts/version.sh --tag TAG       also checks that TAG, a tag pipeline's $CI_COMMIT_TAG, is it
#   scripts/version.sh --notes [VER]   the release notes: the text of VER's section (default: newest)
# POSIX sh, sed and awk only, so it runs in any job image.
set -eu
cd "$(dirname "$0")/.."

changelog=CHANGELOG.md
source_file=Sources/ReleaseLinkerCore/Base/ReleaseLinkerVersion.swift
# Semantic versioning 2.0.0, which the CI/CD Catalog requires of a component's release tag.
semver='[0-9][0-9]*[.][0-9][0-9]*[.][0-9][0-9]*(-[0-9A-Za-z.-]+)?([+][0-9A-Za-z.-]+)?'

fail() {
  printf 'version: %s\n' "$*" >&2
  exit 1
}

[ -f "$changelog" ] || fail "$changelog is missing"
newest=$(awk -v pattern="^## $semver( |\$)" '$0 ~ pattern { print $2; exit }' "$changelog")
[ -n "$newest" ] || fail "$changelog has no heading '## X.Y.Z'; add one for the version being released"

in_source=$(sed -n 's/.*static let current = "\([^"]*\)".*/\1/p' "$source_file")
[ -n "$in_source" ] || fail "$source_file does not set 'static let current = \"X.Y.Z\"'"
[ "$in_source" = "$newest" ] \
  || fail "$changelog's newest version is $newest but $source_file says $in_source: make them the same"

case ${1:-} in
  "")
    printf '%s\n' "$newest"
    ;;
  --tag)
    [ $# -eq 2 ] || fail "usage: scripts/version.sh --tag TAG"
    printf '%s\n' "$2" | grep -Eqx "$semver" \
      || fail "the tag '$2' is not a semantic version such as $newest (no 'v' prefix): the CI/CD Catalog publishes only those"
    [ "$2" = "$newest" ] || fail "the tag is $2 but the version is $newest ($changelog, $source_file): tag $newest, or add a '## $2' section and set $2 in $source_file"
    printf '%s\n' "$newest"
    ;;
  --notes)
    wanted=${2:-$newest}
    # The lines under `## WANTED`, up to the next `## ` heading, without the blank lines around them.
    notes=$(awk -v wanted="$wanted" '
      /^## / { if (found) exit; found = ($2 == wanted); next }
      found { lines[++count] = $0 }
      END {
        first = 1; while (first <= count && lines[first] ~ /^[ \t]*$/) first++
        last = count; while (last >= first && lines[last] ~ /^[ \t]*$/) last--
        for (i = first; i <= last; i++) print lines[i]
      }' "$changelog")
    [ -n "$notes" ] || fail "$changelog has no notes under '## $wanted'"
    printf '%s\n' "$notes"
    ;;
  *)
    fail "usage: scripts/version.sh [--tag TAG | --notes [VERSION]]"
    ;;
esac
