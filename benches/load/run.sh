#!/usr/bin/env bash
# The load benchmark of issue 8, in one command, from the workspace root:
#
#   benches/load/run.sh [N_PAPERS]          # default 100000; writes $OUT/results.json + report.md
#
# 1. generates the corpus (`ratsuche gen-corpus`, real German sentences from ../shared mixed in),
# 2. indexes it with `ratsuche ingest` under /usr/bin/time -v (papers/s, MB/s, size, peak RSS),
# 3. draws a seeded query mix by document-frequency band (benches/load/queries.py),
# 4. runs the in-process floor (benches/floor.rs: the same URLs through ratsuche::search),
# 5. starts `ratsuche serve` (cold start = process start to the first 200), drives /api/search
#    with wrk (benches/load/mix.lua) closed-loop at 1, 4, 16 connections and paced at fixed
#    rates, and records CPU-seconds per 1,000 queries and RSS,
# 6. runs the HTTP floor (a fixed body of the same size from an axum server) the same way,
# 7. loads and queries the peers on the same papers and queries: PostgreSQL (`german`
#    tsvector, GIN, ts_rank_cd, GROUP BY facets, ts_headline) and Xapian (German stemmer).
#
# Environment: OUT (work folder, default /tmp/ratsuche-load-N), SEED (1), RUN_SECONDS (20 per
# wrk run), RATES ("250 500 1000 1500 2000"), N_QUERIES (2000), PEERS ("pg xapian"; "none"
# runs no peer),
# PEER_SECONDS (120 per peer), REUSE_INDEX=1 (keep the index of an earlier complete run and
# its indexing figures), REUSE_PEERS=1 (keep the peer databases of an earlier run that loaded
# them completely, with their load figures: they take the longest), CARGO_TARGET_DIR as usual. Installs wrk, time, PostgreSQL,
# python3-xapian and python3-psycopg2 with apt-get when they are missing. Every figure is
# stored with the `uptime` load average at the time it was taken.
set -euo pipefail

N_PAPERS=${1:-100000}
SEED=${SEED:-1}
OUT=${OUT:-/tmp/ratsuche-load-$N_PAPERS}
RUN_SECONDS=${RUN_SECONDS:-20}
RATES=${RATES:-"250 500 1000 1500 2000"}
N_QUERIES=${N_QUERIES:-2000}
PEERS=${PEERS:-"pg xapian"}
PEER_SECONDS=${PEER_SECONDS:-120}
PORT=${PORT:-18080}
FLOOR_PORT=${FLOOR_PORT:-18081}
PG_PORT=${PG_PORT:-55432}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SHARED=$ROOT/../shared
PY=/usr/bin/python3
mkdir -p "$OUT/results"
RESULTS=$OUT/results

# shellcheck source=benches/load/common.sh
. "$HERE/common.sh"

# --- tools ---------------------------------------------------------------------------------
missing=()
command -v wrk >/dev/null || missing+=(wrk)
[ -x /usr/bin/time ] || missing+=(time)
command -v curl >/dev/null || missing+=(curl)
[[ " $PEERS " == *" pg "* ]] && { [ -x /usr/lib/postgresql/15/bin/initdb ] || missing+=(postgresql); $PY -c 'import psycopg2' 2>/dev/null || missing+=(python3-psycopg2); }
[[ " $PEERS " == *" xapian "* ]] && { $PY -c 'import xapian' 2>/dev/null || missing+=(python3-xapian); }
if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# --- build ---------------------------------------------------------------------------------
build_binaries

# --- corpus --------------------------------------------------------------------------------
if [ ! -f "$OUT/corpus.done" ]; then
    rm -rf "$OUT/corpus" "$OUT/text"
    mkdir -p "$OUT/text/debian-reference"
    text_args=()
    if [ -d "$SHARED/corpus/text" ]; then
        zcat "$SHARED/corpus/text/debian-reference-de/debian-reference.de.txt.gz" \
            > "$OUT/text/debian-reference/debian-reference.de.txt"
        text_args=(--text "$SHARED/corpus/text/karlsruhe-council-pdf-text/sample" --text "$OUT/text")
        # The bulk archive (10,799 more council texts, 85 MB) widens the vocabulary: without
        # it a large corpus repeats the same 22,000 sentences and has few rare words.
        if command -v zstd >/dev/null; then
            mkdir -p "$OUT/text/karlsruhe-bulk"
            zstd -q -d --long=27 -c "$SHARED/corpus/text/karlsruhe-council-pdf-text/karlsruhe_pdf_text_bulk_85MB.tar.zst" |
                tar -x -C "$OUT/text/karlsruhe-bulk"
        fi
    else
        log "no ../shared: the corpus uses generated council phrasing only"
    fi
    log "generating $N_PAPERS papers"
    "$RATSUCHE" gen-corpus --docs "$N_PAPERS" --seed "$SEED" --out "$OUT/corpus" "${text_args[@]}"
    "$FLOOR" export "$OUT/corpus" "$OUT/papers.jsonl" "$OUT/df.tsv" > "$RESULTS/export.json"
    touch "$OUT/corpus.done"
fi
TEXT_BYTES=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["text_bytes"])' "$RESULTS/export.json")

# --- indexing ------------------------------------------------------------------------------
if [ "${REUSE_INDEX:-0}" = 1 ] && [ -f "$OUT/index.done" ]; then
    log "indexing skipped: REUSE_INDEX=1 and $OUT/index is complete (figures from its run)"
else
log "indexing"
rm -rf "$OUT/index" "$OUT/index.done"
started=$(date +%s.%N)
/usr/bin/time -v "$RATSUCHE" ingest --index "$OUT/index" "$OUT/corpus" > "$OUT/ingest.out" 2> "$OUT/ingest.time" &
INGEST=$!
peak_anon_kb=$(wait_peak_anon_kb "$INGEST")
wait "$INGEST"
finished=$(date +%s.%N)
peak_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$OUT/ingest.time")
cpu_s=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {print u + s}' "$OUT/ingest.time")
index_bytes=$(du -sb "$OUT/index" | cut -f1)
papers_bytes=$(du -sb "$OUT/index/papers" | cut -f1)
passages_bytes=$(du -sb "$OUT/index/passages" | cut -f1)
n_indexed=$("$RATSUCHE" search --index "$OUT/index" --json --per-page 1 | $PY -c 'import json,sys; print(json.load(sys.stdin)["total"])')
record indexing "$($PY -c '
import json, sys
wall, papers, text, index, peak, cpu, pa, pp, anon = map(float, sys.argv[1:])
print(json.dumps({"wall_s": wall, "papers": papers, "papers_per_s": papers / wall,
    "text_mb_per_s": text / wall / 1e6, "text_bytes": text, "index_bytes": index,
    "index_over_text": index / text, "papers_dir_bytes": pa, "passages_dir_bytes": pp,
    "peak_rss_mb": peak / 1024, "peak_anon_mb": anon / 1024, "cpu_s": cpu}))' \
    "$($PY -c "print($finished - $started)")" "$n_indexed" "$TEXT_BYTES" "$index_bytes" "$peak_kb" "$cpu_s" "$papers_bytes" "$passages_bytes" "$peak_anon_kb")"
cat "$RESULTS/indexing.json" >&2
touch "$OUT/index.done"
fi

# --- queries and the in-process floor ------------------------------------------------------
$PY "$HERE/queries.py" "$OUT/df.tsv" "$OUT/papers.jsonl" "$N_QUERIES" "$SEED" "$OUT" >&2
log "in-process floor"
"$FLOOR" inprocess "$OUT/index" "$OUT/urls.txt" "$RUN_SECONDS" "$RESULTS/inprocess.json"
record inprocess_summary "$($PY -c 'import json,sys; d=json.load(open(sys.argv[1])); d.pop("totals"); d.pop("query_mean_ms", None); print(json.dumps(d))' "$RESULTS/inprocess.json")"

# --- the server ----------------------------------------------------------------------------
wrk_run() { # name url_base connections rate pid
    local name=$1 base=$2 connections=$3 rate=$4 pid=$5 before after
    before=$(cpu_ticks "$pid")
    URLS=$OUT/urls.txt SEED=$SEED RATE=$rate CONNECTIONS=$connections \
        wrk -t1 -c"$connections" -d"${RUN_SECONDS}s" --timeout 10s -s "$HERE/mix.lua" "$base" \
        | tail -1 > "$OUT/wrk.json"
    after=$(cpu_ticks "$pid")
    record "$name" "$($PY -c '
import json, sys
d = json.load(open(sys.argv[1])); ticks = float(sys.argv[2]) / 100
d["server_cpu_s_per_1000"] = ticks / max(d["requests"], 1) * 1000
d["connections"] = int(sys.argv[3]); d["offered_rate"] = float(sys.argv[4])
print(json.dumps(d))' "$OUT/wrk.json" "$((after - before))" "$connections" "$rate")"
    log "$name: $(cat "$RESULTS/$name.json" | tr -d '\n ')"
}

log "cold start"
started=$(date +%s.%N)
"$RATSUCHE" serve --index "$OUT/index" --addr "127.0.0.1:$PORT" 2> "$OUT/serve.log" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
first_url="http://127.0.0.1:$PORT$(head -1 "$OUT/urls.txt")"
until [ "$(curl -s -o "$OUT/first.json" -w '%{http_code}' "$first_url" || true)" = 200 ]; do sleep 0.005; done
finished=$(date +%s.%N)
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER/status")
record cold_start "{\"first_answer_s\": $($PY -c "print($finished - $started)"), \"rss_after_first_mb\": $((rss_kb / 1024))}"

wrk_run warmup "http://127.0.0.1:$PORT" 4 0 "$SERVER"
for connections in 1 4 16; do
    wrk_run "closed_c$connections" "http://127.0.0.1:$PORT" "$connections" 0 "$SERVER"
done
for rate in $RATES; do
    wrk_run "paced_r$rate" "http://127.0.0.1:$PORT" 64 "$rate" "$SERVER"
done
status_mb() { echo $(($(awk -v key="$2:" '$1 == key {print $2}' "/proc/$1/status") / 1024)); }
record serving_memory "{\"rss_mb\": $(status_mb "$SERVER" VmRSS), \"peak_rss_mb\": $(status_mb "$SERVER" VmHWM), \"anon_mb\": $(status_mb "$SERVER" RssAnon), \"file_mapped_mb\": $(status_mb "$SERVER" RssFile), \"threads\": $(awk '/Threads/ {print $2}' "/proc/$SERVER/status")}"
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true

# --- the HTTP floor: a fixed body of a real response's size ---------------------------------
log "HTTP floor"
"$FLOOR" fixed "127.0.0.1:$FLOOR_PORT" "$OUT/first.json" &
FIXED=$!
trap 'kill $FIXED 2>/dev/null || true' EXIT
until curl -s -o /dev/null "http://127.0.0.1:$FLOOR_PORT/"; do sleep 0.01; done
for connections in 1 4 16; do
    wrk_run "fixed_c$connections" "http://127.0.0.1:$FLOOR_PORT" "$connections" 0 "$FIXED"
done
kill "$FIXED"; wait "$FIXED" 2>/dev/null || true

# --- peers ---------------------------------------------------------------------------------
if [[ " $PEERS " == *" pg "* ]]; then
    log "PostgreSQL"
    PGDATA=$OUT/pg
    REUSE_PG=0
    [ "${REUSE_PEERS:-0}" = 1 ] && [ -f "$OUT/pg.done" ] && [ -f "$RESULTS/pg_load.json" ] && REUSE_PG=1
    if [ "$REUSE_PG" = 0 ]; then
        rm -f "$OUT/pg.done"
        rm -rf "$PGDATA" && mkdir -p "$PGDATA" && chown postgres "$PGDATA"
        runuser -u postgres -- /usr/lib/postgresql/15/bin/initdb -D "$PGDATA" -A trust -E UTF8 --locale C.UTF-8 >/dev/null
    fi
    runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$PGDATA" -l "$PGDATA/log" -w \
        -o "-p $PG_PORT -k $PGDATA -c listen_addresses=127.0.0.1 -c shared_buffers=1GB -c work_mem=64MB -c max_wal_size=4GB" start >/dev/null
    trap 'runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$PGDATA" stop -m fast >/dev/null 2>&1 || true' EXIT
    DSN="host=127.0.0.1 port=$PG_PORT user=postgres dbname=postgres"
    if [ "$REUSE_PG" = 0 ]; then
        record pg_load "$($PY "$HERE/peers.py" pg-load "$DSN" "$OUT/papers.jsonl")"
        touch "$OUT/pg.done"
    else
        log "PostgreSQL: reusing the database loaded earlier"
    fi
    $PY "$HERE/peers.py" pg-query "$DSN" "$OUT/queries.json" "$PEER_SECONDS" "$RESULTS/pg.json"
    runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$PGDATA" stop -m fast >/dev/null
fi
if [[ " $PEERS " == *" xapian "* ]]; then
    log "Xapian"
    if [ "${REUSE_PEERS:-0}" = 1 ] && [ -f "$OUT/xapian.done" ] && [ -f "$OUT/xapian-load.json" ]; then
        log "Xapian: reusing the database loaded earlier"
    else
        rm -rf "$OUT/xapian" "$OUT/xapian.done"
        /usr/bin/time -v $PY "$HERE/peers.py" xapian-load "$OUT/xapian" "$OUT/papers.jsonl" > "$OUT/xapian-load.json" 2> "$OUT/xapian-load.time"
        touch "$OUT/xapian.done"
    fi
    record xapian_load "$($PY -c '
import json, sys
d = json.load(open(sys.argv[1])); d["index_bytes"] = int(sys.argv[2]); d["peak_rss_mb"] = int(sys.argv[3]) / 1024
print(json.dumps(d))' "$OUT/xapian-load.json" "$(du -sb "$OUT/xapian" | cut -f1)" "$(awk -F': ' '/Maximum resident/ {print $2}' "$OUT/xapian-load.time")")"
    $PY "$HERE/peers.py" xapian-query "$OUT/xapian" "$OUT/papers.jsonl" "$OUT/queries.json" "$PEER_SECONDS" "$RESULTS/xapian.json"
fi

$PY "$HERE/report.py" "$OUT" > "$OUT/report.md"
cat "$OUT/report.md"
