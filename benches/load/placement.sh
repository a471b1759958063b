#!/usr/bin/env bash
# HTTP at concurrency 1 with the server and wrk placed on CPUs (BENCHMARKS.md, "HTTP at c=1 and
# CPU placement"). Needs an index and the URL mix of a load run (benches/load/run.sh).
#
#   benches/load/placement.sh free|split|together [OUT]
#
# free: no placement; split: server on CPU 0, wrk on CPU 1; together: both on CPU 0.
# OUT (default /tmp/load100k) holds index/ and urls.txt. Prints requests, p50, p99 and the
# server's CPU milliseconds per request over 15 s, after 5 s of warm-up.
set -euo pipefail
MODE=${1:?free, split or together}
OUT=${2:-/tmp/load100k}
HERE=$(cd "$(dirname "$0")" && pwd)
RATSUCHE=${RATSUCHE:-target/release/ratsuche}
PORT=${PORT:-18111}
case $MODE in
    free) SERVER=(); CLIENT=() ;;
    split) SERVER=(taskset -c 0); CLIENT=(taskset -c 1) ;;
    together) SERVER=(taskset -c 0); CLIENT=(taskset -c 0) ;;
    *) echo "unknown placement $MODE" >&2; exit 2 ;;
esac
"${SERVER[@]}" "$RATSUCHE" serve --index "$OUT/index" --addr "127.0.0.1:$PORT" 2>/dev/null &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
until curl -s -o /dev/null "http://127.0.0.1:$PORT/healthz"; do sleep 0.2; done
run() { # seconds
    URLS=$OUT/urls.txt SEED=1 RATE=0 CONNECTIONS=1 "${CLIENT[@]}" \
        wrk -t1 -c1 -d"$1s" --timeout 10s -s "$HERE/mix.lua" "http://127.0.0.1:$PORT" | tail -1
}
run 5 > /dev/null
ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
before=$(ticks)
result=$(run 15)
after=$(ticks)
python3 -c '
import json, sys
d = json.loads(sys.argv[1]); ticks = float(sys.argv[2]) / 100
print(sys.argv[3], d["requests"], "requests, p50", d["p50_ms"], "ms, p99", d["p99_ms"],
      "ms, server CPU-ms per request", round(ticks * 1000 / d["requests"], 3))
' "$result" "$((after - before))" "$MODE"
