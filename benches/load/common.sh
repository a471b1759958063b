# Shell helpers shared by the load benchmark scripts (run.sh, million.sh), sourced after they
# set ROOT, PY and RESULTS.

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
load_average() { cut -d' ' -f1-3 /proc/loadavg; }
# Stores a JSON object $2 as results/$1.json, with the load average added.
record() { $PY -c 'import json,sys; d=json.loads(sys.argv[2]); d["loadavg"]=sys.argv[3]; json.dump(d, open(sys.argv[1],"w"), indent=1)' "$RESULTS/$1.json" "$2" "$(load_average)"; }
# User plus system CPU time of process $1, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# Builds the release binary and the floor bench; sets RATSUCHE and FLOOR to their paths.
build_binaries() {
    cd "$ROOT"
    log "building (release)"
    cargo build --release --bin ratsuche 2>&1 | tail -1
    FLOOR=$(cargo bench --bench floor --no-run --message-format=json 2>/dev/null |
        $PY -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "floor" and m.get("executable"):
        print(m["executable"])')
    RATSUCHE=${CARGO_TARGET_DIR:-$ROOT/target}/release/ratsuche
}

# Waits for process $1 (`/usr/bin/time` running the ingest) and prints the peak own memory
# (RssAnon, kB) of its child, sampled every 0.2 s: apart from the mapped index files.
wait_peak_anon_kb() {
    local peak=0 pid anon
    while kill -0 "$1" 2>/dev/null; do
        pid=$(pgrep -P "$1" || true)
        anon=$( [ -n "$pid" ] && awk '/RssAnon/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
        [ "${anon:-0}" -gt "$peak" ] && peak=$anon
        sleep 0.2
    done
    echo "$peak"
}
