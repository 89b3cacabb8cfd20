#!/usr/bin/env bash
# The engine microbenchmark of this tree against an earlier commit, in one run: both built in Release (the
# other from a git worktree, with its own catalog), run alternately, each pinned to the same core, and the
# median of each benchmark and the ratio (this tree / the other) printed and written as JSON. The machines
# drift between minutes, so only the ratio within one run says anything.
#
#   bash bench/engine_compare.sh REV [--runs N] [--filter REGEX] [--out FILE]
#
# Needs Debian's libbenchmark-dev and jq (installed when missing). Not part of the test command.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 1 ] || { echo "usage: $0 REV [--runs N] [--filter REGEX] [--out FILE]" >&2; exit 2; }
REV=$1; shift
RUNS=5
FILTER='BM_MatchLogMix|BM_RespondLogMix|BM_MatchMatched|BM_MatchFallback|BM_LoadCatalog'
OUT="$ROOT/bench/results/engine-compare-latest.json"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --filter) FILTER=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    *) echo "usage: $0 REV [--runs N] [--filter REGEX] [--out FILE]" >&2; exit 2 ;;
  esac
done
[ "$RUNS" -ge 1 ] || { echo "engine_compare: --runs must be at least 1" >&2; exit 2; }
git -C "$ROOT" rev-parse --verify --quiet "$REV^{commit}" >/dev/null ||
  { echo "engine_compare: $REV is not a commit of this repository" >&2; exit 2; }

bash "$ROOT/scripts/install-deps.sh" libbenchmark-dev util-linux

TMP=$(mktemp -d)
OTHER="$TMP/other"
cleanup() { git -C "$ROOT" worktree remove --force "$OTHER" >/dev/null 2>&1 || true; rm -rf "$TMP"; }
trap cleanup EXIT
git -C "$ROOT" worktree add --detach "$OTHER" "$REV" >/dev/null
for tree in "$ROOT" "$OTHER"; do
  cmake -S "$tree" -B "$tree/build-release" -DCMAKE_BUILD_TYPE=Release -DCRAMPBOT_BUILD_TESTS=OFF >/dev/null
  cmake --build "$tree/build-release" -j"$(nproc)" --target engine_bench >/dev/null
done
CPU=$(( $(nproc) > 1 ? 1 : 0 ))

# Alternate the two, so that a slow minute hurts both.
for i in $(seq 1 "$RUNS"); do
  for side in this other; do
    tree=$ROOT; [ "$side" = other ] && tree=$OTHER
    (cd "$tree" && taskset -c "$CPU" "$tree/build-release/engine_bench" --benchmark_filter="$FILTER" \
      --benchmark_format=json >"$TMP/$side-$i.json" 2>/dev/null)
  done
done

# Per benchmark: the median real time of each side, and the ratio.
jq -n --arg rev "$(git -C "$OTHER" rev-parse --short HEAD)" --arg head "$(git -C "$ROOT" rev-parse --short HEAD)" \
  --argjson runs "$RUNS" '
  def median: sort | if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  def times($files): [$files[].benchmarks[]] | group_by(.name)
    | map({key: .[0].name, value: {unit: .[0].time_unit, median: (map(.real_time) | median)}}) | from_entries;
  (times($this)) as $t | (times($other)) as $o
  | {this: $head, other: $rev, runs: $runs,
     benchmarks: ($t | to_entries | map({name: .key, unit: .value.unit, this: .value.median,
                                          other: $o[.key].median,
                                          ratio: (if $o[.key].median then .value.median / $o[.key].median else null end)}))}
' --slurpfile this <(cat "$TMP"/this-*.json) --slurpfile other <(cat "$TMP"/other-*.json) \
  >"$OUT"
jq -r '"this tree (\(.this)) against \(.other), median of \(.runs) alternating runs:",
       (.benchmarks[] | "  \(.name): \(.this | . * 100 | round / 100) \(.unit) vs \(.other | . * 100 | round / 100) \(.unit), ratio \(.ratio | . * 100 | round / 100)")' "$OUT"
echo "written: $OUT"
