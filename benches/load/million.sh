#!/usr/bin/env bash
# The one-million-paper run of issue 8 (BENCHMARKS.md, "One million papers"), after a 100k load
# run (benches/load/run.sh) has left its text sources and query mix in $BASE:
#
#   benches/load/million.sh [N_PAPERS]       # default 1000000; writes $OUT/results/*.json
#
# 1. generates the corpus with the 100k run's text sources (same seed),
# 2. indexes it under /usr/bin/time -v (papers/s, CPU-s, index size, peak RSS, own memory),
# 3. starts `ratsuche serve` (cold start = process start to the first 200), drives /api/search
#    with the 100k run's URL mix (wrk, benches/load/mix.lua) for RUN_SECONDS at 4 (warm-up),
#    1, 4 and 16 connections, with the server's CPU-seconds per 1,000 queries and its memory,
# 4. runs the in-process floor (benches/floor.rs) on the same URLs.
#
# No peers and no export: loading PostgreSQL and Xapian with a million papers would take
# hours, and the papers.jsonl export would write the whole text once more. The query mix is the
# 100k run's, so its "rare" words are less rare here.
#
# Environment: BASE (the 100k run's folder, default /tmp/load100k), OUT (default /tmp/load1m),
# SEED (1), RUN_SECONDS (15), PORT (18090), REUSE_INDEX=1 (keep an index this script finished),
# CARGO_TARGET_DIR as usual.
set -euo pipefail

N_PAPERS=${1:-1000000}
BASE=${BASE:-/tmp/load100k}
OUT=${OUT:-/tmp/load1m}
SEED=${SEED:-1}
RUN_SECONDS=${RUN_SECONDS:-15}
PORT=${PORT:-18090}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PY=/usr/bin/python3
RESULTS=$OUT/results
mkdir -p "$RESULTS"

# shellcheck source=benches/load/common.sh
. "$HERE/common.sh"

for needed in "$BASE/urls.txt" "$BASE/text"; do
    [ -e "$needed" ] || { echo "missing $needed: run benches/load/run.sh first" >&2; exit 2; }
done
command -v wrk >/dev/null || { echo "wrk is missing (benches/load/run.sh installs it)" >&2; exit 2; }

build_binaries

# --- corpus --------------------------------------------------------------------------------
if [ ! -f "$OUT/corpus.done" ]; then
    rm -rf "$OUT/corpus"
    text_args=()
    for dir in "$ROOT/../shared/corpus/text/karlsruhe-council-pdf-text/sample" "$BASE/text"; do
        [ -d "$dir" ] && text_args+=(--text "$dir")
    done
    log "generating $N_PAPERS papers"
    "$RATSUCHE" gen-corpus --docs "$N_PAPERS" --seed "$SEED" --out "$OUT/corpus" "${text_args[@]}"
    touch "$OUT/corpus.done"
fi

# --- indexing ------------------------------------------------------------------------------
if [ "${REUSE_INDEX:-0}" = 1 ] && [ -f "$OUT/index.done" ]; then
    log "indexing skipped: REUSE_INDEX=1"
else
    log "indexing"
    rm -rf "$OUT/index" "$OUT/index.done"
    sync
    started=$(date +%s.%N)
    /usr/bin/time -v "$RATSUCHE" ingest --index "$OUT/index" "$OUT/corpus" > "$OUT/ingest.out" 2> "$OUT/ingest.time" &
    INGEST=$!
    peak_anon_kb=$(wait_peak_anon_kb "$INGEST")
    wait "$INGEST"
    finished=$(date +%s.%N)
    n_indexed=$("$RATSUCHE" search --index "$OUT/index" --json --per-page 1 | $PY -c 'import json,sys; print(json.load(sys.stdin)["total"])')
    record indexing "$($PY -c '
import json, sys
wall, papers, index, papers_dir, passages_dir = map(float, sys.argv[1:6])
time_v = dict(line.strip().split(": ", 1) for line in open(sys.argv[6]) if ": " in line)
cpu = float(time_v["User time (seconds)"]) + float(time_v["System time (seconds)"])
peak = float(time_v["Maximum resident set size (kbytes)"]) / 1024
print(json.dumps({"wall_s": wall, "papers": papers, "papers_per_s": papers / wall, "cpu_s": cpu,
    "index_bytes": index, "papers_dir_bytes": papers_dir, "passages_dir_bytes": passages_dir,
    "peak_rss_mb": peak, "peak_anon_mb": float(sys.argv[7]) / 1024}))' \
        "$($PY -c "print($finished - $started)")" "$n_indexed" "$(du -sb "$OUT/index" | cut -f1)" \
        "$(du -sb "$OUT/index/papers" | cut -f1)" "$(du -sb "$OUT/index/passages" | cut -f1)" \
        "$OUT/ingest.time" "$peak_anon_kb")"
    cat "$RESULTS/indexing.json" >&2
    touch "$OUT/index.done"
fi

# --- serving -------------------------------------------------------------------------------
wrk_run() { # name connections pid
    local before after
    before=$(cpu_ticks "$3")
    URLS=$BASE/urls.txt SEED=$SEED RATE=0 CONNECTIONS=$2 \
        wrk -t1 -c"$2" -d"${RUN_SECONDS}s" --timeout 10s -s "$HERE/mix.lua" "http://127.0.0.1:$PORT" \
        | tail -1 > "$OUT/wrk.json"
    after=$(cpu_ticks "$3")
    record "$1" "$($PY -c '
import json, sys
d = json.load(open(sys.argv[1]))
d["server_cpu_s_per_1000"] = float(sys.argv[2]) / 100 / max(d["requests"], 1) * 1000
d["connections"] = int(sys.argv[3])
print(json.dumps(d))' "$OUT/wrk.json" "$((after - before))" "$2")"
    log "$1: $(tr -d '\n ' < "$RESULTS/$1.json")"
}

log "cold start"
started=$(date +%s.%N)
"$RATSUCHE" serve --index "$OUT/index" --addr "127.0.0.1:$PORT" 2> "$OUT/serve.log" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
first_url="http://127.0.0.1:$PORT$(head -1 "$BASE/urls.txt")"
until [ "$(curl -s -o /dev/null -w '%{http_code}' "$first_url" || true)" = 200 ]; do sleep 0.005; done
finished=$(date +%s.%N)
record cold_start "{\"first_answer_s\": $($PY -c "print($finished - $started)")}"
log "cold start: $(tr -d '\n ' < "$RESULTS/cold_start.json")"
wrk_run warmup 4 "$SERVER"
for connections in 1 4 16; do
    wrk_run "closed_c$connections" "$connections" "$SERVER"
done
status_mb() { echo $(($(awk -v key="$2:" '$1 == key {print $2}' "/proc/$1/status") / 1024)); }
record serving_memory "{\"rss_mb\": $(status_mb "$SERVER" VmRSS), \"anon_mb\": $(status_mb "$SERVER" RssAnon), \"file_mapped_mb\": $(status_mb "$SERVER" RssFile), \"threads\": $(awk '/Threads/ {print $2}' "/proc/$SERVER/status")}"
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true

log "in-process floor"
"$FLOOR" inprocess "$OUT/index" "$BASE/urls.txt" "$RUN_SECONDS" "$RESULTS/inprocess.json"
$PY -c 'import json,sys; d=json.load(open(sys.argv[1])); d.pop("totals", None); d.pop("query_mean_ms", None); print(json.dumps(d))' "$RESULTS/inprocess.json" >&2
log "done: $RESULTS"
