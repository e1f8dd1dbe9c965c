#!/usr/bin/env bash
# Before/after of CPU per request: the gateway built from a base revision and the one built from the working tree, side
# by side in interleaved wrk rounds (so the machine's drift hits both alike). Prints each round (requests, CPU µs per
# request from /proc, p99) and the mean ratio new ÷ base.
#
#   bench/ab.sh [BASE-REVISION] [SCENARIO]    BASE-REVISION default HEAD (the last commit); SCENARIO get (default),
#                                             post1k (1 KiB JSON) or post64k (64 KiB binary)
#   AB_TARGET     gateway (default): both gateways in front of one bench FastWorker, the gateways' CPU counted;
#                 sdkpush: both in front of one C# SDK http-echo sample built from the working tree, pushed to (its
#                 output is the request's body again, so the gateways read and translate a body-sized reply), the
#                 gateways' CPU counted;
#                 sdkpull: each gateway launches the C# SDK's http-echo sample of its own revision, pulling, and the
#                 CPU of the gateway and its instance is counted (the whole chain)
#   AB_TRIGGER    event (default) or web: with AB_TARGET=gateway, the function's trigger mode (web forwards the request
#                 to the FastWorker as it came, through YARP's forwarder)
#   AB_ROUNDS (default 4), AB_DURATION (s per round, default 10), AB_CONNECTIONS (default 16)
#
# Everything listens on 127.0.0.1 and is stopped on exit; the base revision is built in a temporary git worktree.
# Needs wrk (installed with apt-get when run as root).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BASE=${1:-HEAD}
SCENARIO=${2:-get}
ROUNDS=${AB_ROUNDS:-4}
DURATION=${AB_DURATION:-10}
CONNECTIONS=${AB_CONNECTIONS:-16}
TARGET=${AB_TARGET:-gateway}
TRIGGER=${AB_TRIGGER:-event}
[[ $TARGET =~ ^(gateway|sdkpush|sdkpull)$ ]] || { echo "AB_TARGET is gateway, sdkpush or sdkpull" >&2; exit 2; }
[[ $TRIGGER == event || ($TRIGGER == web && $TARGET == gateway) ]] || { echo "AB_TRIGGER is event, or web with AB_TARGET=gateway" >&2; exit 2; }
[[ $SCENARIO =~ ^(get|post1k|post64k)$ ]] || { echo "usage: bench/ab.sh [BASE-REVISION] [get|post1k|post64k]" >&2; exit 2; }
for knob in "$ROUNDS" "$DURATION" "$CONNECTIONS"; do [[ $knob =~ ^[1-9][0-9]*$ ]] || { echo "AB_* must be positive numbers" >&2; exit 2; }; done
BASE_COMMIT=$(git -C "$REPO" rev-parse --verify "$BASE^{commit}") || { echo "no such revision: $BASE" >&2; exit 2; }

WORK=$(mktemp -d /tmp/fc-ab.XXXXXX)
PIDS=()
log() { echo "[ab $(date +%H:%M:%S)] $*" >&2; }
source "$REPO/bench/processes.sh"
cleanup() {
    stop_started
    git -C "$REPO" worktree remove --force "$WORK/base" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
ensure_package wrk wrk || { echo "wrk is required (apt-get install wrk)" >&2; exit 1; }

build() { # build PROJECT-DIR
    dotnet build "$1" -c Release -nologo -v quiet >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
}
log "building the $TARGET chain at ${BASE_COMMIT:0:7} (base) and in the working tree (new)"
git -C "$REPO" worktree add --detach -q "$WORK/base" "$BASE_COMMIT"
declare -A TREE=([base]="$WORK/base" [new]="$REPO") PID PORT
for side in base new; do build "${TREE[$side]}/src/Gateway"; done
if [[ $TARGET == gateway ]]; then
    build "$REPO/bench/FastWorker"
    read -r WORKER_PORT PORT[base] PORT[new] < <(free_ports 3)
    start worker dotnet "$REPO/bench/FastWorker/bin/Release/net10.0/FastWorker.dll" --urls "http://127.0.0.1:$WORKER_PORT"
    wait_ready worker "http://127.0.0.1:$WORKER_PORT/"
    write_event_gateway_config "$WORK/base-config" "http://127.0.0.1:$WORKER_PORT" 1000
    if [[ $TRIGGER == web ]]; then
        sed -i 's/"Metadata": { "FunctionName": "bench" }/"Metadata": { "FunctionName": "bench", "TriggerMode": "web" }/' "$WORK/base-config/appsettings.json"
        grep -q '"TriggerMode": "web"' "$WORK/base-config/appsettings.json" || { echo "the web trigger could not be set" >&2; exit 1; }
    fi
    cp -r "$WORK/base-config" "$WORK/new-config"
elif [[ $TARGET == sdkpush ]]; then
    build "$REPO/src/Samples"
    read -r WORKER_PORT PORT[base] PORT[new] base_runtime_api new_runtime_api < <(free_ports 5)
    FC_INSTANCE_CONCURRENCY=64 start worker dotnet "$REPO/src/Samples/bin/Release/net10.0/Samples.dll" http-echo \
        --urls "http://127.0.0.1:$WORKER_PORT" --Logging:LogLevel:Default=Warning
    wait_ready worker "http://127.0.0.1:$WORKER_PORT/healthz"
    for side in base new; do
        runtime_api_port=${side}_runtime_api
        sdk_gateway_config "$WORK/$side-config" "" '"ClusterId": "bench", ' ',
    "Clusters": { "bench": { "Destinations": { "sample": { "Address": "http://127.0.0.1:'"$WORKER_PORT"'" } } } }' "${!runtime_api_port}"
    done
else
    read -r PORT[base] PORT[new] base_runtime_api new_runtime_api < <(free_ports 4)
    for side in base new; do
        build "${TREE[$side]}/src/Samples"
        runtime_api_port=${side}_runtime_api
        sdk_gateway_config "$WORK/$side-config" "$(sdk_pull_keys 1 "${TREE[$side]}/src/Samples/bin/Release/net10.0/Samples.dll")" "" "" "${!runtime_api_port}"
    done
fi
for side in base new; do
    start "$side" dotnet "${TREE[$side]}/src/Gateway/bin/Release/net10.0/FcGateway.dll" --contentRoot "$WORK/$side-config" --urls "http://127.0.0.1:${PORT[$side]}"
done
PID=([base]=$base_PID [new]=$new_PID)
for side in base new; do wait_ready "$side" "http://127.0.0.1:${PORT[$side]}/healthz"; done
declare -A COUNTED=([base]=${PID[base]} [new]=${PID[new]}) # the processes whose CPU is counted
if [[ $TARGET == sdkpull ]]; then
    for side in base new; do
        curl -s -o /dev/null --max-time 60 "http://127.0.0.1:${PORT[$side]}/bench/warm" || true
        instance=$(pgrep -P "${PID[$side]}" -f Samples.dll | head -1 || true)
        [[ -n $instance ]] || { log "the $side gateway launched no instance:"; cat "$WORK/$side.log" >&2; exit 1; }
        COUNTED[$side]="${PID[$side]} $instance"
    done
fi

write_wrk_scripts "$WORK" # the bodies of bench/run.sh
load() { # load SIDE SECONDS -> wrk output
    timeout $(($2 + 30)) wrk -t2 -c"$CONNECTIONS" -d"$2s" --latency -s "$WORK/$SCENARIO.lua" "http://127.0.0.1:${PORT[$1]}/bench/$SCENARIO"
}
cpu_ticks() { awk '{ ticks += $14 + $15 } END { print ticks }' $(printf '/proc/%s/stat ' $1); } # utime + stime of each PID, in clock ticks
TICK_US=$((1000000 / $(getconf CLK_TCK)))

log "warm-up: 10 s each"
for side in base new; do load "$side" 10 >/dev/null; done
echo "$TARGET ($TRIGGER) $SCENARIO, c$CONNECTIONS, $ROUNDS rounds of $DURATION s:"
for round in $(seq 1 "$ROUNDS"); do
    order="base new"; ((round % 2 == 0)) && order="new base" # neither always runs first
    for side in $order; do
        before=$(cpu_ticks "${COUNTED[$side]}")
        out=$(load "$side" "$DURATION")
        after=$(cpu_ticks "${COUNTED[$side]}")
        requests=$(awk '/requests in/ { print $1 }' <<<"$out")
        ((${requests:-0} > 0)) || { echo "no request completed against $side:" >&2; echo "$out" >&2; exit 1; }
        p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
        echo "$round $side $requests $(( (after - before) * TICK_US * 1000 / requests )) $p99"
    done
done | awk '
    { printf "round %s %-4s %8d requests, %6.1f us/request CPU, p99 %s\n", $1, $2, $3, $4 / 1000, $5; cpu[$2] += $4 / 1000; rounds[$2]++ }
    END { base = cpu["base"] / rounds["base"]; new = cpu["new"] / rounds["new"]
          printf "mean CPU per request: base %.1f us, new %.1f us, new / base %.3f\n", base, new, new / base }'
