#!/usr/bin/env bash
# Bytes allocated per request, by type, in the processes of one bench target under load: the runtime's allocation
# sampling (dotnet-trace's gc-verbose profile, one sample per ~100 KB allocated) over 12 s of a 15 s wrk round.
#
#   bench/allocations.sh TARGET [SCENARIO]    TARGET: gateway, yarp, sdkpush or sdkpull; SCENARIO: get (default), post1k, post64k
#   ALLOCATION_TYPES=N (default 12): how many types to list per process
#
# Runs bench/run.sh narrowed to TARGET and SCENARIO (c16, one round after a 5 s warm-up), traces the proxy (gateway or
# YARP) and the worker behind it, and prints per process the sampled bytes per request and the top types. dotnet-trace
# is installed into bench/.tools (git-ignored) on first use. Estimates: compare runs, not single bytes.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$REPO/bench"
TARGET=${1:-}
SCENARIO=${2:-get}
[[ $TARGET =~ ^(gateway|yarp|sdkpush|sdkpull)$ && $SCENARIO =~ ^(get|post1k|post64k)$ ]] \
    || { echo "usage: bench/allocations.sh gateway|yarp|sdkpush|sdkpull [get|post1k|post64k]" >&2; exit 2; }
TRACE_SECONDS=12
TYPES=${ALLOCATION_TYPES:-12}
[[ $TYPES =~ ^[0-9]+$ ]] || { echo "ALLOCATION_TYPES must be a number" >&2; exit 2; }

TRACE="$BENCH/.tools/dotnet-trace"
[[ -x $TRACE ]] || dotnet tool install --tool-path "$BENCH/.tools" dotnet-trace --version 10.0.750501 >/dev/null
dotnet build "$BENCH/AllocationReport" -c Release -nologo -v quiet >/dev/null
REPORT="$BENCH/AllocationReport/bin/Release/net10.0/AllocationReport.dll"

WORK=$(mktemp -d /tmp/fc-allocations.XXXXXX)
RUNNER=""
TRACERS=()
cleanup() {
    for pid in "${TRACERS[@]}" $RUNNER; do kill "$pid" 2>/dev/null || true; done
    for pid in "${TRACERS[@]}" $RUNNER; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

BENCH_TARGETS=$TARGET BENCH_SCENARIOS=$SCENARIO BENCH_CONNECTIONS=16 BENCH_ROUNDS=1 BENCH_DURATION=15 BENCH_WARMUP=5 \
    BENCH_LARGE_POSTS=0 BENCH_COLD_STARTS=0 bash "$BENCH/run.sh" >"$WORK/run.log" 2>&1 &
RUNNER=$!
for _ in $(seq 1 300); do grep -q 'warm-up:' "$WORK/run.log" && break; kill -0 "$RUNNER" 2>/dev/null || break; sleep 1; done
grep -q 'warm-up:' "$WORK/run.log" || { cat "$WORK/run.log" >&2; exit 1; }

# The processes run.sh started for TARGET: its children (the sdkpull worker is the gateway's), by their command lines.
one() { # one DESCRIPTION PGREP-ARGS...: the single PID pgrep finds, or a message and exit
    local found; found=$(pgrep "${@:2}" || true)
    [[ $(wc -w <<<"$found") -eq 1 ]] || { echo "expected one $1 process, found: ${found:-none}" >&2; cat "$WORK/run.log" >&2; exit 1; }
    echo "$found"
}
case $TARGET in
    gateway | sdkpush | sdkpull) proxy=$(one "$TARGET gateway" -P "$RUNNER" -f "FcGateway.dll --contentRoot [^ ]*/$TARGET ") ;;
    yarp) proxy=$(one "plain YARP" -P "$RUNNER" -f "PlainYarp.dll") ;;
esac
case $TARGET in
    gateway | yarp) worker=$(one "fast worker" -P "$RUNNER" -f "FastWorker.dll --urls") ;;
    sdkpush) worker=$(one "C# SDK sample" -P "$RUNNER" -f "Samples.dll http-echo --urls") ;;
    sdkpull) worker=$(one "launched C# SDK sample" -P "$proxy" -f "Samples.dll") ;;
esac

sleep 6 # the warm-up (5 s), then into the measured round
TRACERS=()
for name in proxy worker; do
    "$TRACE" collect -p "${!name}" --profile gc-verbose --duration "00:00:00:$TRACE_SECONDS" -o "$WORK/$name.nettrace" \
        >"$WORK/$name.trace.log" 2>&1 &
    TRACERS+=($!)
done
wait "${TRACERS[@]}" || true
TRACERS=()
wait "$RUNNER"; RUNNER=""
for name in proxy worker; do
    [[ -s $WORK/$name.nettrace ]] || { echo "no trace of the $name:" >&2; cat "$WORK/$name.trace.log" >&2; exit 1; }
done

rate=$(awk -v target="$TARGET" '$0 ~ (target " round 1:") { for (i = 1; i <= NF; i++) if ($i == "req/s,") print $(i - 1) }' "$WORK/run.log")
[[ -n $rate ]] || { cat "$WORK/run.log" >&2; exit 1; }
requests=$(python3 -c "print(round($rate * $TRACE_SECONDS))")
echo "$TARGET, $SCENARIO c16: $rate req/s; allocations sampled over $TRACE_SECONDS s (~$requests requests)"
for name in proxy worker; do
    echo; echo "== $name (pid ${!name})"
    dotnet "$REPORT" "$WORK/$name.nettrace" "$requests" "$TYPES"
done
