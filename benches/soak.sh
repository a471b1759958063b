#!/usr/bin/env bash
# Soak test: 60 s of GET /api/search at a fixed rate against `ratsuche serve` while
# `ratsuche ingest` writes and commits into the same index; then checks that no request
# failed (non-2xx, socket errors, timeouts), that the rate was held, and that the server's
# anonymous memory (heap: RssAnon) did not grow beyond warm-up. File-backed RSS grows with
# the index (tantivy mmaps its segments) and is reported, not judged.
#
# Needs wrk (Debian: apt-get install wrk). Traffic goes to 127.0.0.1 only; every loop is
# bounded in time. Usage (from the repository root):
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
CONNECTIONS=${CONNECTIONS:-8}
DOCS=${DOCS:-3000}
INGEST_DOCS=${INGEST_DOCS:-3000}
ANON_GROWTH_PCT=${ANON_GROWTH_PCT:-10}
ANON_SLACK_KB=${ANON_SLACK_KB:-16384}

if [[ -z "${BIN:-}" ]]; then
    cargo build --release --quiet
    BIN=${CARGO_TARGET_DIR:-target}/release/ratsuche
fi
command -v wrk >/dev/null || { echo "soak: wrk is missing (apt-get install wrk)" >&2; exit 2; }

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

# wrk holds the rate with a per-connection delay: CONNECTIONS connections, each waiting
# CONNECTIONS*1000/RATE ms between its requests.
DELAY_MS=$(( CONNECTIONS * 1000 / RATE ))
cat >"$WORK/soak.lua" <<LUA
local queries = {"Haushalt", "Schule", "Radweg", "Kita", "Stadtrat", "Verkehr", "Telearbeit",
    "Antrag+der+Fraktion", "%22mobile+Arbeit%22", "Schule+-Sanierung", "Bebauungsplan",
    "Haushalt&type=Antrag", "&sort=date_desc", "Klima&page=2"}
local counter = 0
request = function()
    counter = counter + 1
    return wrk.format("GET", "/api/search?q=" .. queries[(counter % #queries) + 1])
end
delay = function() return $DELAY_MS end
LUA

anon_kb() { awk '/^RssAnon:/ {print $2}' "/proc/$SERVE_PID/status"; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$SERVE_PID/status"; }

echo "soak: warm-up ${WARMUP}s at $RATE req/s"
wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" -s "$WORK/soak.lua" "http://$ADDR" >"$WORK/warmup.txt"
ANON_WARM=$(anon_kb)
RSS_WARM=$(rss_kb)
PAPERS_BEFORE=$(curl -sf "http://$ADDR/healthz" | python3 -c 'import json,sys; print(json.load(sys.stdin)["papers"])')

# The ingest runs during the whole soak: the second corpus, then the first again (upserts),
# until the soak ends (bounded by the soak's own duration).
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
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$WORK/soak.lua" "http://$ADDR" \
    >"$WORK/soak.txt"
ANON_END=$(anon_kb)
RSS_END=$(rss_kb)
kill "$INGEST_PID" 2>/dev/null || true
wait "$INGEST_PID" 2>/dev/null || true
INGEST_PID=""
PAPERS_AFTER=$(curl -sf "http://$ADDR/healthz" | python3 -c 'import json,sys; print(json.load(sys.stdin)["papers"])')

cat "$WORK/soak.txt"
REQUESTS=$(awk '/requests in/ {print $1}' "$WORK/soak.txt")
NON_2XX=$(awk '/Non-2xx or 3xx responses/ {print $NF}' "$WORK/soak.txt")
SOCKET_ERRORS=$(grep -c "Socket errors" "$WORK/soak.txt" || true)
ANON_MAX=$(awk 'BEGIN {max = 0} {if ($2 > max) max = $2} END {print max}' "$WORK/memory.txt")
ANON_LIMIT=$(( ANON_WARM + ANON_WARM * ANON_GROWTH_PCT / 100 + ANON_SLACK_KB ))
EXPECTED=$(( RATE * DURATION ))
ROUNDS=$(cat "$WORK/ingest-rounds" 2>/dev/null || echo 0)

echo "soak: requests $REQUESTS of $EXPECTED planned; non-2xx ${NON_2XX:-0}; socket error lines $SOCKET_ERRORS"
echo "soak: papers $PAPERS_BEFORE before, $PAPERS_AFTER after; ingest rounds finished: $ROUNDS"
echo "soak: RssAnon warm ${ANON_WARM} kB, max ${ANON_MAX} kB, end ${ANON_END} kB (limit ${ANON_LIMIT} kB)"
echo "soak: VmRSS warm ${RSS_WARM} kB, end ${RSS_END} kB (includes the mmapped index)"
echo "soak: $(uptime)"

status=0
if [[ -n "${NON_2XX:-}" && "${NON_2XX:-0}" != "0" ]]; then echo "soak: FAIL non-2xx answers"; status=1; fi
if (( SOCKET_ERRORS > 0 )); then echo "soak: FAIL socket errors or timeouts"; status=1; fi
if (( REQUESTS < EXPECTED * 9 / 10 )); then echo "soak: FAIL the rate was not held"; status=1; fi
if (( ANON_MAX > ANON_LIMIT )); then echo "soak: FAIL heap grew beyond warm-up"; status=1; fi
if (( PAPERS_AFTER <= PAPERS_BEFORE )); then echo "soak: FAIL the ingest added nothing visible"; status=1; fi
if grep -q "panicked" "$WORK/serve.log"; then echo "soak: FAIL the server panicked"; status=1; fi
(( status == 0 )) && echo "soak: PASS"
exit "$status"
