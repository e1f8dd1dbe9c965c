#!/usr/bin/env bash
# Side-by-side CPU profile of the gateway (event mode) and plain YARP under the same wrk load (POST 1 KiB JSON by
# default, 16 connections), with perf sampling each proxy process in turn. Prints samples per 1000 requests by module
# (kernel, runtime, and each managed assembly), for both and their difference. Needs perf (linux-perf) and wrk;
# run as root it installs them with apt-get. Builds in Release; every process is on 127.0.0.1 and stopped on exit.
# The targets are sampled one after the other, not interleaved, so the totals can differ from run to run by more than
# the gap between them: read it for where each one's CPU goes, and take CPU-per-request ratios from bench/ab.sh or
# bench/run.sh, which interleave their rounds.
#
#   bench/profile.sh            8 s of samples per target after a 10 s warm-up
#   PROFILE_SECONDS=20 bench/profile.sh
#   PROFILE_SCENARIO=get bench/profile.sh   get (no body), post1k (the default) or post64k (64 KiB binary)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SECONDS_PER_TARGET=${PROFILE_SECONDS:-8}
SCENARIO=${PROFILE_SCENARIO:-post1k}
[[ $SCENARIO =~ ^(get|post1k|post64k)$ ]] || { echo "PROFILE_SCENARIO is get, post1k or post64k" >&2; exit 2; }
WORK=$(mktemp -d /tmp/fc-profile.XXXXXX)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

for tool in perf:linux-perf wrk:wrk; do
    command -v "${tool%%:*}" >/dev/null && continue
    [[ $EUID -eq 0 ]] || { echo "${tool%%:*} is required (apt-get install ${tool#*:})" >&2; exit 1; }
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${tool#*:}" >/dev/null
done
for project in src/Gateway bench/FastWorker bench/PlainYarp; do
    dotnet build "$REPO/$project" -c Release -nologo -v quiet >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
done

source "$REPO/bench/processes.sh"
read -r WORKER GATEWAY YARP < <(free_ports 3)
# Managed frames get names from the perf map; W^X double mapping would hide them behind memfd:doublemapper.
export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
dotnet "$REPO/bench/FastWorker/bin/Release/net10.0/FastWorker.dll" --urls "http://127.0.0.1:$WORKER" >"$WORK/worker.log" 2>&1 &
PIDS+=($!)
write_event_gateway_config "$WORK/gateway" "http://127.0.0.1:$WORKER" 1000
dotnet "$REPO/src/Gateway/bin/Release/net10.0/FcGateway.dll" --contentRoot "$WORK/gateway" --urls "http://127.0.0.1:$GATEWAY" >"$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!; PIDS+=("$GATEWAY_PID")
dotnet "$REPO/bench/PlainYarp/bin/Release/net10.0/PlainYarp.dll" --urls "http://127.0.0.1:$YARP" \
    --Destination "http://127.0.0.1:$WORKER" --Logging:LogLevel:Default=Warning >"$WORK/yarp.log" 2>&1 &
YARP_PID=$!; PIDS+=("$YARP_PID")
for port in "$WORKER" "$GATEWAY" "$YARP"; do
    for _ in $(seq 1 150); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done
done

write_wrk_scripts "$WORK"
for port in "$GATEWAY" "$YARP"; do timeout 60 wrk -t2 -c16 -d10s -s "$WORK/$SCENARIO.lua" "http://127.0.0.1:$port/bench/$SCENARIO" >/dev/null; done
for target in "gateway $GATEWAY_PID $GATEWAY" "yarp $YARP_PID $YARP"; do
    read -r name pid port <<<"$target"
    perf record -F 1999 -p "$pid" -o "$WORK/$name.data" -- sleep "$SECONDS_PER_TARGET" >/dev/null 2>&1 &
    recorder=$!
    timeout $((SECONDS_PER_TARGET + 30)) wrk -t2 -c16 -d"${SECONDS_PER_TARGET}s" -s "$WORK/$SCENARIO.lua" "http://127.0.0.1:$port/bench/$SCENARIO" >"$WORK/$name.wrk"
    wait "$recorder" || true
    awk '/requests in/ { print $1 }' "$WORK/$name.wrk" >"$WORK/$name.requests"
done

python3 - "$WORK" <<'PY'
import collections, re, subprocess, sys
work = sys.argv[1]

def by_module(name):
    requests = int(open(f"{work}/{name}.requests").read())
    report = subprocess.run(["perf", "report", "-i", f"{work}/{name}.data", "--no-children", "--sort", "dso,sym", "--stdio", "-n"],
                            capture_output=True, text=True).stdout
    samples = collections.Counter()
    for line in report.splitlines():
        m = re.match(r"\s+[\d.]+%\s+(\d+)\s+(\S.*?)\s+\[.\]\s+(.*)$", line)
        if not m:
            continue
        dso, symbol = m.group(2).strip(), m.group(3)
        if dso.startswith("[kernel"):
            module = "kernel"
        elif dso.startswith("[JIT]") or "doublemapper" in dso:
            assembly = re.search(r"\[([\w.]+)\]\s", symbol)
            module = assembly.group(1) if assembly else "managed (unnamed)"
        else:
            module = dso
        samples[module] += int(m.group(1))
    return {k: v * 1000 / requests for k, v in samples.items()}, requests

gateway, gateway_requests = by_module("gateway")
yarp, yarp_requests = by_module("yarp")
print(f"perf samples per 1000 requests at 1999 Hz (1 sample = 0.5 ms; per request: x 0.5 us); "
      f"requests profiled: gateway {gateway_requests}, plain YARP {yarp_requests}")
print(f"{'module':48} {'gateway':>8} {'YARP':>8} {'diff':>8}")
for module in sorted(set(gateway) | set(yarp), key=lambda k: -(gateway.get(k, 0) + yarp.get(k, 0)))[:25]:
    g, y = gateway.get(module, 0), yarp.get(module, 0)
    print(f"{module[:48]:48} {g:8.1f} {y:8.1f} {g - y:+8.1f}")
print(f"{'total':48} {sum(gateway.values()):8.1f} {sum(yarp.values()):8.1f} {sum(gateway.values()) - sum(yarp.values()):+8.1f}")
PY
