#!/usr/bin/env bash
# Soak test: 60 s of GET /api/search at a fixed rate against `ratsuche serve` while
# `ratsuche ingest` writes and commits into the same index; then checks that no request
# failed (non-2xx, socket errors, timeouts), that the rate was held, and that the server's
# anonymous memory (heap: RssAnon) did not grow beyond warm-up. File-backed RSS grows with
# the index (tantivy mmaps its segments) and is reported, not judged.
#
# The warm-up already runs an ingest that brings the index to its full size (caches grow
# with the index, which is not a leak); during the soak the ingest writes the same papers
# again and again (upserts: deletes, new segments, merges), so the index keeps changing
# while its size stays put.
#
# The load comes from benches/soak_load.py (Python 3, standard library only): an open loop at
# a fixed rate over keep-alive connections, so slow answers do not lower the rate. Traffic
# goes to 127.0.0.1 only; every loop is bounded in time. Usage (from the repository root):
#
#   benches/soak.sh                       # builds the release binary if BIN is unset
#   RATE=300 DURATION=60 BIN=target/release/ratsuche benches/soak.sh
#
# Settings (environment): RATE (requests/s, default 200), DURATION (s, default 60), WARMUP
# (s, default 15), CONNECTIONS (default 8), DOCS (papers served at the start, default 3000),
# INGEST_DOCS (papers ingested during the run, default 3000), ANON_GROWTH_PCT (allowed growth
# of RssAnon after warm-up, default 10), ANON_SLACK_KB (absolute slack, default 16384).
set -euo pipefail

RATE=${RATE:-200}
DURATION=${DURATION:-60}
WARMUP=${WARMUP:-15}
DOCS=${DOCS:-3000}
CONNECTIONS=${CONNECTIONS:-8}
INGEST_DOCS=${INGEST_DOCS:-3000}
ANON_GROWTH_PCT=${ANON_GROWTH_PCT:-10}
ANON_SLACK_KB=${ANON_SLACK_KB:-16384}

if [[ -z "${BIN:-}" ]]; then
    cargo build --release --quiet
    BIN=${CARGO_TARGET_DIR:-target}/release/ratsuche
fi
LOAD="$(dirname "$0")/soak_load.py"
command -v python3 >/dev/null || { echo "soak: python3 is missing" >&2; exit 2; }

WORK=$(mktemp -d -t ratsuche-soak-XXXXXX)
SERVE_PID=""
INGEST_PID=""
SAMPLER_PID=""
cleanup() {
    for pid in "$SAMPLER_PID" "$INGEST_PID" "$SERVE_PID"; do
        [[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

echo "soak: machine: $(nproc) cores; $(uptime)"
echo "soak: corpus of $DOCS papers to serve, $INGEST_DOCS more to ingest during the run"
"$BIN" gen-corpus --docs "$DOCS" --seed 1 --out "$WORK/base" >/dev/null
"$BIN" gen-corpus --docs "$INGEST_DOCS" --seed 2 --out "$WORK/more" >/dev/null
RUST_LOG=error "$BIN" ingest --index "$WORK/index" "$WORK/base" >/dev/null

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ADDR="127.0.0.1:$PORT"
RUST_LOG=warn "$BIN" serve --index "$WORK/index" --addr "$ADDR" --max-concurrency 256 \
    2>"$WORK/serve.log" &
SERVE_PID=$!
for _ in $(seq 1 300); do
    curl -sf "http://$ADDR/healthz" >/dev/null && break
    sleep 0.1
done
curl -sf "http://$ADDR/healthz" >/dev/null || { echo "soak: server did not start" >&2; exit 1; }

anon_kb() { awk '/^RssAnon:/ {print $2}' "/proc/$SERVE_PID/status"; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$SERVE_PID/status"; }

echo "soak: warm-up ${WARMUP}s at $RATE req/s while the index grows to its full size"
RUST_LOG=error "$BIN" ingest --index "$WORK/index" "$WORK/more" >/dev/null 2>>"$WORK/ingest.log" &
WARM_INGEST_PID=$!
python3 "$LOAD" "$ADDR" "$RATE" "$WARMUP" "$CONNECTIONS" >"$WORK/warmup.json"
wait "$WARM_INGEST_PID"
python3 "$LOAD" "$ADDR" "$RATE" 5 "$CONNECTIONS" >>"$WORK/warmup.json"
echo "soak: warm-up: $(tr '\n' ' ' <"$WORK/warmup.json")"
ANON_WARM=$(anon_kb)
RSS_WARM=$(rss_kb)
PAPERS_BEFORE=$(curl -sf "http://$ADDR/healthz" | python3 -c 'import json,sys; print(json.load(sys.stdin)["papers"])')

# The ingest runs during the whole soak: both corpora again and again (upserts), until the
# soak ends (bounded by the soak's own duration).
(
    end=$((SECONDS + DURATION))
    round=0
    while (( SECONDS < end )); do
        corpus="$WORK/more"; (( round % 2 == 1 )) && corpus="$WORK/base"
        RUST_LOG=error "$BIN" ingest --index "$WORK/index" "$corpus" >/dev/null 2>>"$WORK/ingest.log" || true
        round=$((round + 1))
        echo "$round" >"$WORK/ingest-rounds"
    done
) &
INGEST_PID=$!
(
    while kill -0 "$SERVE_PID" 2>/dev/null; do
        echo "$(date +%s) $(anon_kb) $(rss_kb)" >>"$WORK/memory.txt"
        sleep 5
    done
) &
SAMPLER_PID=$!

echo "soak: ${DURATION}s at $RATE req/s with ingest running"
python3 "$LOAD" "$ADDR" "$RATE" "$DURATION" "$CONNECTIONS" >"$WORK/soak.json"
ANON_END=$(anon_kb)
RSS_END=$(rss_kb)
kill "$INGEST_PID" 2>/dev/null || true
wait "$INGEST_PID" 2>/dev/null || true
INGEST_PID=""
PAPERS_AFTER=$(curl -sf "http://$ADDR/healthz" | python3 -c 'import json,sys; print(json.load(sys.stdin)["papers"])')

cat "$WORK/soak.json"
field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$WORK/soak.json" "$1"; }
REQUESTS=$(field requests)
ERRORS=$(field errors)
ANON_MAX=$(awk 'BEGIN {max = 0} {if ($2 > max) max = $2} END {print max}' "$WORK/memory.txt")
ANON_LIMIT=$(( ANON_WARM + ANON_WARM * ANON_GROWTH_PCT / 100 + ANON_SLACK_KB ))
EXPECTED=$(( RATE * DURATION ))
ROUNDS=$(cat "$WORK/ingest-rounds" 2>/dev/null || echo 0)

echo "soak: requests $REQUESTS of $EXPECTED planned; errors (non-200, timeouts, resets) $ERRORS"
echo "soak: papers $PAPERS_BEFORE before, $PAPERS_AFTER after; ingest rounds finished: $ROUNDS"
echo "soak: RssAnon warm ${ANON_WARM} kB, max ${ANON_MAX} kB, end ${ANON_END} kB (limit ${ANON_LIMIT} kB)"
echo "soak: VmRSS warm ${RSS_WARM} kB, end ${RSS_END} kB (includes the mmapped index)"
echo "soak: RssAnon/VmRSS samples (kB, every 5 s): $(awk '{printf "%s/%s ", $2, $3}' "$WORK/memory.txt")"
echo "soak: $(uptime)"

status=0
if (( ERRORS > 0 )); then echo "soak: FAIL $ERRORS requests failed"; status=1; fi
ACHIEVED=$(field achieved_rate)
if (( REQUESTS < EXPECTED * 9 / 10 )) || python3 -c "import sys; sys.exit(float(sys.argv[1]) >= 0.9 * float(sys.argv[2]))" "$ACHIEVED" "$RATE"; then
    echo "soak: FAIL the rate was not held ($ACHIEVED req/s of $RATE)"; status=1
fi
if (( ANON_MAX > ANON_LIMIT )); then echo "soak: FAIL heap grew beyond warm-up"; status=1; fi
if (( ROUNDS < 1 )); then echo "soak: FAIL no ingest round finished during the soak"; status=1; fi
if (( PAPERS_AFTER < PAPERS_BEFORE )); then echo "soak: FAIL papers disappeared"; status=1; fi
if grep -q "panicked" "$WORK/serve.log"; then echo "soak: FAIL the server panicked"; status=1; fi
(( status == 0 )) && echo "soak: PASS"
exit "$status"
