#!/usr/bin/env bash
# Soak test of the gateway (event mode): mixed valid, invalid and faulty traffic on loopback for N minutes,
# sampling the gateway's memory and threads each minute. Not part of the test suite.
#
#   bench/soak.sh [MINUTES]     default 10
#
# Environment: SOAK_SAMPLE_SECONDS (default 60), SOAK_CONNECTIONS (wrk connections for valid traffic, default 8).
# Prints a table of VmRSS and thread count per sample, then start/peak/end, wrk's summary and the tally of the
# invalid and faulty cases (bench/soak-clients.py). Stops everything it started; exits non-zero if the gateway
# died, or if an invalid or faulty request was answered 500 or not at all.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$REPO/bench"
MINUTES=${1:-10}
SAMPLE=${SOAK_SAMPLE_SECONDS:-60}
CONNECTIONS=${SOAK_CONNECTIONS:-8}
SECONDS_TOTAL=$((MINUTES * 60))

WORK=$(mktemp -d /tmp/fc-soak.XXXXXX)
PIDS=()
source "$BENCH/processes.sh"
cleanup() {
    local status=$?
    stop_started
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '[soak %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

ensure_package wrk wrk || { log "wrk is required (apt-get install wrk)"; exit 1; }

log "building (Release)"
for project in src/Gateway bench/FastWorker; do
    dotnet build "$REPO/$project" -c Release -nologo -v quiet >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
done

read -r FAST_PORT GARBAGE_PORT SLOW_PORT GATEWAY_PORT < <(free_ports 4)



WORKER_DLL="$BENCH/FastWorker/bin/Release/net10.0/FastWorker.dll"
start fast dotnet "$WORKER_DLL" --urls "http://127.0.0.1:$FAST_PORT"
start garbage dotnet "$WORKER_DLL" --urls "http://127.0.0.1:$GARBAGE_PORT" --Mode garbage
start slow dotnet "$WORKER_DLL" --urls "http://127.0.0.1:$SLOW_PORT" --Mode sleep --SleepMs 2000
for worker in fast garbage slow; do
    port_var="${worker^^}_PORT"
    wait_ready "$worker" "http://127.0.0.1:${!port_var}/"
done

mkdir -p "$WORK/gateway"
route() { printf '"%s": { "ClusterId": "%s", "Match": { "Path": "/%s/{**rest}" }, "Metadata": { "FunctionName": "%s" } }' "$1" "$1" "$1" "$1"; }
cluster() { printf '"%s": { "Destinations": { "worker": { "Address": "http://127.0.0.1:%s" } } }' "$1" "$2"; }
cat >"$WORK/gateway/appsettings.json" <<JSON
{
  "Logging": { "LogLevel": { "Default": "Warning" } },
  "Gateway": {
    "AccountId": "1234567890123456",
    "Region": "soak",
    "RejectClientFcHeaders": true,
    "Functions": {
      "fast": { "InstanceConcurrency": 1000 },
      "garbage": { "InstanceConcurrency": 100 },
      "slow": { "Timeout": "00:00:01", "InstanceConcurrency": 100 }
    }
  },
  "ReverseProxy": {
    "Routes": { $(route fast), $(route garbage), $(route slow) },
    "Clusters": { $(cluster fast "$FAST_PORT"), $(cluster garbage "$GARBAGE_PORT"), $(cluster slow "$SLOW_PORT") }
  }
}
JSON
start gateway dotnet "$REPO/src/Gateway/bin/Release/net10.0/FcGateway.dll" --contentRoot "$WORK/gateway" --urls "http://127.0.0.1:$GATEWAY_PORT"
wait_ready gateway "http://127.0.0.1:$GATEWAY_PORT/healthz"
GATEWAY="http://127.0.0.1:$GATEWAY_PORT"

sample() { rss_threads "$gateway_PID"; }

log "soaking for $MINUTES min: valid (wrk -c$CONNECTIONS), invalid and faulty (bench/soak-clients.py) on $GATEWAY"
cat >"$WORK/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = string.rep("x", 1024)
wrk.headers["Content-Type"] = "application/json"
LUA
start wrk_get wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_TOTAL}s" "$GATEWAY/fast/get"
start wrk_post wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_TOTAL}s" -s "$WORK/post.lua" "$GATEWAY/fast/post"
start clients python3 "$BENCH/soak-clients.py" "$GATEWAY_PORT" "$SECONDS_TOTAL"

printf '%8s  %12s  %8s\n' "minute" "VmRSS (MiB)" "threads"
read -r START_RSS START_THREADS < <(sample)
PEAK_RSS=$START_RSS; PEAK_THREADS=$START_THREADS; END_RSS=$START_RSS; END_THREADS=$START_THREADS
DIED=false
elapsed=0
while true; do
    printf '%8s  %12s  %8s\n' "$(awk -v s="$elapsed" 'BEGIN { printf "%.1f", s / 60 }')" "$((END_RSS / 1024))" "$END_THREADS"
    (( elapsed >= SECONDS_TOTAL )) && break
    step=$(( SAMPLE < SECONDS_TOTAL - elapsed ? SAMPLE : SECONDS_TOTAL - elapsed ))
    sleep "$step"
    elapsed=$((elapsed + step))
    if ! kill -0 "$gateway_PID" 2>/dev/null || [[ -z "$(sample)" ]]; then DIED=true; break; fi
    read -r END_RSS END_THREADS < <(sample)
    (( END_RSS > PEAK_RSS )) && PEAK_RSS=$END_RSS
    (( END_THREADS > PEAK_THREADS )) && PEAK_THREADS=$END_THREADS
done

if $DIED; then
    log "the gateway died; its log:"; tail -50 "$WORK/gateway.log" >&2
    exit 1
fi

CLIENTS_OK=true
wait "$wrk_get_PID" || true
wait "$wrk_post_PID" || true
wait "$clients_PID" || CLIENTS_OK=false
printf '\n%-8s  %12s  %8s\n' "" "VmRSS (MiB)" "threads"
for row in "start $START_RSS $START_THREADS" "peak $PEAK_RSS $PEAK_THREADS" "end $END_RSS $END_THREADS"; do
    read -r name rss threads <<<"$row"
    printf '%-8s  %12s  %8s\n' "$name" "$((rss / 1024))" "$threads"
done
printf '\nvalid GET /fast/get:\n'; grep -E 'Requests/sec|requests in|Non-2xx|Socket errors|Latency' "$WORK/wrk_get.log" | sed 's/^/  /'
printf 'valid POST 1 KiB /fast/post:\n'; grep -E 'Requests/sec|requests in|Non-2xx|Socket errors|Latency' "$WORK/wrk_post.log" | sed 's/^/  /'
printf 'invalid and faulty (status x count):\n'; cat "$WORK/clients.log"
$CLIENTS_OK || { log "an invalid or faulty request was answered 500 or not at all"; exit 1; }
log "the gateway stayed up"
