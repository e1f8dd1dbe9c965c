#!/usr/bin/env bash
# Side-by-side benchmark of the gateway (event mode) against plain YARP, nginx and the worker itself.
#
#   bench/run.sh            full run: ~12 min with the defaults; writes bench/results/<date>.md and latest.md
#   bench/run.sh --smoke    each target once for 2 s per scenario (c16) and one 32 MB POST; fails unless
#                           every target answered without errors; prints the table, writes no file
#
# Environment: BENCH_DURATION (s per wrk run, default 10), BENCH_ROUNDS (interleaved rounds, default 2),
# BENCH_WARMUP (s per target and scenario before measuring, default 10), BENCH_CONNECTIONS (default "16 64"),
# BENCH_LARGE_POSTS (32 MB POSTs, default 3; 0 skips the large-body part), BENCH_SCENARIOS (default
# "get post1k post64k"), BENCH_TARGETS (default "direct gateway otel yarp nginx"; also "sdkpush sdkpull"). A run narrowed by any of the last
# three prints its table and writes bench/results/<date>-partial.md, leaving latest.md alone.
#
# Every process is started on 127.0.0.1 and forwards to the same fast worker; all are stopped on exit. "otel" is a
# second gateway, identical but exporting traces, metrics and logs over OTLP/HTTP to a sink (another fast worker), so
# the table shows what telemetry costs, as a ratio to the "gateway" column (telemetry off: nothing exported).
# "sdkpush" and "sdkpull" put the C# SDK's http-echo sample behind the gateway instead of the fast worker: pushed to
# (the sample serving /invoke) and pulled by (the sample launched by the gateway, polling its runtime API), each one
# process running 64 invocations at a time; their worker CPU is the sample's.
# See bench/README.md for what the columns mean.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$REPO/bench"
SMOKE=false
[[ "${1:-}" == "--smoke" ]] && SMOKE=true

DURATION=${BENCH_DURATION:-10}
ROUNDS=${BENCH_ROUNDS:-2}
WARMUP=${BENCH_WARMUP:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-"16 64"}
LARGE_POSTS=${BENCH_LARGE_POSTS:-3}
SCENARIO_LIST=(${BENCH_SCENARIOS:-get post1k post64k})
WANTED_TARGETS=" ${BENCH_TARGETS:-direct gateway otel yarp nginx} "
PARTIAL=false
[[ -n "${BENCH_SCENARIOS:-}${BENCH_TARGETS:-}" || $LARGE_POSTS -eq 0 ]] && PARTIAL=true
LARGE_BYTES=$((32 * 1024 * 1024))
if $SMOKE; then DURATION=2; ROUNDS=1; WARMUP=0; CONNECTIONS=16; LARGE_POSTS=1; fi

WORK=$(mktemp -d /tmp/fc-bench.XXXXXX)
PIDS=()
NGINX_MASTER=""

cleanup() {
    local status=$?
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    [[ -n "$NGINX_MASTER" ]] && kill -QUIT "$NGINX_MASTER" 2>/dev/null || true
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
note() { printf '%s\n' "$*" >> "$WORK/notes.tsv"; log "note: $*"; }
meta() { printf '%s\t%s\n' "$1" "$2" >> "$WORK/meta.tsv"; }

# --- tools -------------------------------------------------------------------------------------------
apt_updated=false
ensure_package() { # ensure_package COMMAND PACKAGE...
    command -v "$1" >/dev/null && return 0
    [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null || return 1
    $apt_updated || { log "apt-get update"; apt-get update -qq >/dev/null; apt_updated=true; }
    local package
    for package in "${@:2}"; do
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null 2>&1 && command -v "$1" >/dev/null && return 0
    done
    return 1
}
ensure_package wrk wrk || { log "wrk is required (apt-get install wrk)"; exit 1; }
PATH="$PATH:/usr/sbin"
HAVE_NGINX=true
ensure_package nginx nginx-light nginx || { HAVE_NGINX=false; note "nginx could not be installed: its column is skipped."; }

log "building (Release)"
for project in src/Gateway src/Samples bench/FastWorker bench/PlainYarp; do
    dotnet build "$REPO/$project" -c Release -nologo -v quiet >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
done

# --- processes ---------------------------------------------------------------------------------------
source "$BENCH/processes.sh"
read -r WORKER_PORT GATEWAY_PORT YARP_PORT NGINX_PORT OTEL_PORT SINK_PORT SDK_PORT SDKPUSH_PORT SDKPULL_PORT RUNTIME_API_PORT SDKPUSH_RUNTIME_API_PORT < <(free_ports 11)
WORKER_URL="http://127.0.0.1:$WORKER_PORT"



start worker dotnet "$BENCH/FastWorker/bin/Release/net10.0/FastWorker.dll" --urls "$WORKER_URL"
wait_ready worker "$WORKER_URL/"

mkdir -p "$WORK/gateway"
# The fast worker takes any concurrency. The gateway's default InstanceConcurrency (1, as FC) would queue every
# invocation behind one in flight on one instance, which measures that queue, not the proxy: plain YARP and nginx
# forward all N connections' requests at once. BENCH_INSTANCE_CONCURRENCY=1 measures the default.
GATEWAY_CONCURRENCY=${BENCH_INSTANCE_CONCURRENCY:-1000}
cat >"$WORK/gateway/appsettings.json" <<EOF
{
  "Logging": { "LogLevel": { "Default": "Warning" } },
  "Gateway": {
    "AccountId": "1234567890123456",
    "Region": "bench",
    "Functions": { "bench": { "Timeout": "00:00:30", "InstanceConcurrency": $GATEWAY_CONCURRENCY } }
  },
  "ReverseProxy": {
    "Routes": {
      "bench": { "ClusterId": "bench", "Match": { "Path": "/{**catchall}" }, "Metadata": { "FunctionName": "bench" } }
    },
    "Clusters": {
      "bench": { "Destinations": { "worker": { "Address": "$WORKER_URL" } } }
    }
  }
}
EOF
start gateway dotnet "$REPO/src/Gateway/bin/Release/net10.0/FcGateway.dll" --contentRoot "$WORK/gateway" --urls "http://127.0.0.1:$GATEWAY_PORT"
start yarp dotnet "$BENCH/PlainYarp/bin/Release/net10.0/PlainYarp.dll" --urls "http://127.0.0.1:$YARP_PORT" --Destination "$WORKER_URL" --Logging:LogLevel:Default=Warning
wait_ready gateway "http://127.0.0.1:$GATEWAY_PORT/"
wait_ready yarp "http://127.0.0.1:$YARP_PORT/"

TARGETS=()
for target in direct gateway otel yarp; do [[ $WANTED_TARGETS == *" $target "* ]] && TARGETS+=("$target"); done
declare -A URL=([direct]="$WORKER_URL" [gateway]="http://127.0.0.1:$GATEWAY_PORT" [yarp]="http://127.0.0.1:$YARP_PORT")
# CPU is counted over PROXY_PIDS; peak RSS is read from PEAK_PID (the worker itself for the direct column).
declare -A PROXY_PIDS=([direct]="" [gateway]="$gateway_PID" [yarp]="$yarp_PID")
declare -A PEAK_PID=([direct]="$worker_PID" [gateway]="$gateway_PID" [yarp]="$yarp_PID")

if [[ $WANTED_TARGETS == *" otel "* ]]; then
    # Every request sampled (the SDK's default), metrics every 10 s instead of 60 so their export is in each run.
    start sink dotnet "$BENCH/FastWorker/bin/Release/net10.0/FastWorker.dll" --urls "http://127.0.0.1:$SINK_PORT"
    wait_ready sink "http://127.0.0.1:$SINK_PORT/"
    OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$SINK_PORT" OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf OTEL_METRIC_EXPORT_INTERVAL=10000 \
        start otel dotnet "$REPO/src/Gateway/bin/Release/net10.0/FcGateway.dll" --contentRoot "$WORK/gateway" --urls "http://127.0.0.1:$OTEL_PORT"
    wait_ready otel "http://127.0.0.1:$OTEL_PORT/"
    URL[otel]="http://127.0.0.1:$OTEL_PORT"
    PROXY_PIDS[otel]="$otel_PID"
    PEAK_PID[otel]="$otel_PID"
fi

declare -A WORKER_PID=()
SAMPLES_DLL="$REPO/src/Samples/bin/Release/net10.0/Samples.dll"
sdk_gateway_config() { # sdk_gateway_config DIR EXTRA-FUNCTION-KEYS ROUTE-CLUSTER-ID EXTRA-PROXY-SECTIONS RUNTIME-API-PORT: a gateway in front of the SDK sample
    mkdir -p "$1"
    cat >"$1/appsettings.json" <<EOF
{
  "Logging": { "LogLevel": { "Default": "Warning" } },
  "Gateway": {
    "AccountId": "1234567890123456", "Region": "bench",
    "RuntimeApi": { "Urls": "http://127.0.0.1:$5" },
    "Functions": { "bench": { "Timeout": "00:00:30", "InstanceConcurrency": 64, "Handler": "Samples.http-echo"$2 } }
  },
  "ReverseProxy": {
    "Routes": { "bench": { $3"Match": { "Path": "/{**catchall}" }, "Metadata": { "FunctionName": "bench" } } }$4
  }
}
EOF
}
if [[ $WANTED_TARGETS == *" sdkpush "* ]]; then
    FC_INSTANCE_CONCURRENCY=64 start sdk dotnet "$SAMPLES_DLL" http-echo --urls "http://127.0.0.1:$SDK_PORT" --Logging:LogLevel:Default=Warning
    sdk_gateway_config "$WORK/sdkpush" "" '"ClusterId": "bench", ' ',
    "Clusters": { "bench": { "Destinations": { "sample": { "Address": "http://127.0.0.1:'"$SDK_PORT"'" } } } }' "$SDKPUSH_RUNTIME_API_PORT"
    start sdkpush dotnet "$REPO/src/Gateway/bin/Release/net10.0/FcGateway.dll" --contentRoot "$WORK/sdkpush" --urls "http://127.0.0.1:$SDKPUSH_PORT"
    wait_ready sdkpush "http://127.0.0.1:$SDKPUSH_PORT/healthz"
    TARGETS+=(sdkpush); URL[sdkpush]="http://127.0.0.1:$SDKPUSH_PORT"
    PROXY_PIDS[sdkpush]="$sdkpush_PID"; PEAK_PID[sdkpush]="$sdkpush_PID"; WORKER_PID[sdkpush]="$sdk_PID"
fi
if [[ $WANTED_TARGETS == *" sdkpull "* ]]; then
    sdk_gateway_config "$WORK/sdkpull" ', "RuntimeApi": "fc", "Command": "dotnet", "Arguments": ["'"$SAMPLES_DLL"'", "http-echo", "--Logging:LogLevel:Default=Warning"], "MinInstances": 1, "MaxInstances": 1' "" "" "$RUNTIME_API_PORT"
    start sdkpull dotnet "$REPO/src/Gateway/bin/Release/net10.0/FcGateway.dll" --contentRoot "$WORK/sdkpull" --urls "http://127.0.0.1:$SDKPULL_PORT"
    wait_ready sdkpull "http://127.0.0.1:$SDKPULL_PORT/healthz"
    curl -s -o /dev/null --max-time 60 "http://127.0.0.1:$SDKPULL_PORT/bench/warm" || true
    TARGETS+=(sdkpull); URL[sdkpull]="http://127.0.0.1:$SDKPULL_PORT"
    PROXY_PIDS[sdkpull]="$sdkpull_PID"; PEAK_PID[sdkpull]="$sdkpull_PID"
    WORKER_PID[sdkpull]=$(pgrep -P "$sdkpull_PID" -f Samples.dll | head -1)
    [[ -n ${WORKER_PID[sdkpull]} ]] || { log "the gateway did not launch the pull-mode sample:"; cat "$WORK/sdkpull.log" >&2; exit 1; }
fi

if $HAVE_NGINX && [[ $WANTED_TARGETS == *" nginx "* ]]; then
    mkdir -p "$WORK/nginx"
    user_line=""
    [[ $EUID -eq 0 ]] && user_line="user root;"
    # One worker process: with two on two cores shared with wrk and the upstream, p99 went past 40 ms.
    # Request bodies are streamed (proxy_request_buffering off) and never spill to disk, as YARP streams them.
    cat >"$WORK/nginx/nginx.conf" <<EOF
$user_line
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $WORK/nginx/body;
    proxy_temp_path $WORK/nginx/proxy;
    client_max_body_size 64m;
    client_body_buffer_size 128k;
    upstream worker { server 127.0.0.1:$WORKER_PORT; keepalive 64; }
    server {
        listen 127.0.0.1:$NGINX_PORT;
        location / {
            proxy_pass http://worker;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_request_buffering off;
        }
    }
}
EOF
    nginx -p "$WORK/nginx" -e "$WORK/nginx/error.log" -c "$WORK/nginx/nginx.conf" >"$WORK/nginx.log" 2>&1 &
    NGINX_MASTER=$!
    wait_ready nginx "http://127.0.0.1:$NGINX_PORT/"
    TARGETS+=(nginx)
    URL[nginx]="http://127.0.0.1:$NGINX_PORT"
    nginx_worker=$(pgrep -P "$NGINX_MASTER" | head -1)
    PROXY_PIDS[nginx]="$NGINX_MASTER $nginx_worker"
    PEAK_PID[nginx]="$nginx_worker"
fi

# --- measurement helpers -----------------------------------------------------------------------------
CLK_TCK=$(getconf CLK_TCK)

cpu_ticks() { # utime+stime of the given PIDs, in clock ticks
    local total=0 pid line rest fields
    for pid in "$@"; do
        read -r line <"/proc/$pid/stat"
        rest=${line##*) }           # fields after "(comm) ": state is field 3, utime 14, stime 15
        read -r -a fields <<<"$rest"
        total=$((total + fields[11] + fields[12]))
    done
    echo "$total"
}

status_kb() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"; }

reset_peak() { echo 5 >"/proc/$1/clear_refs" 2>/dev/null || true; }  # VmHWM := VmRSS (Linux >= 4.0)

# wrk Lua scripts: a 1 KiB JSON body and a 64 KiB binary body.
cat >"$WORK/post1k.lua" <<'EOF'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"data":"' .. string.rep("a", 1024 - 11) .. '"}'
EOF
cat >"$WORK/post64k.lua" <<'EOF'
local bytes = {}
for i = 1, 65536 do bytes[i] = string.char((i * 131 + 128) % 256) end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/octet-stream"
wrk.body = table.concat(bytes)
EOF
: >"$WORK/get.lua"

run_wrk() { # run_wrk TARGET SCENARIO CONNS SECONDS -> wrk output on stdout
    timeout $(($4 + 30)) wrk -t2 -c"$3" -d"$4s" --latency -s "$WORK/$2.lua" "${URL[$1]}/bench/$2"
}

measure() { # measure TARGET SCENARIO CONNS ROUND -> appends a line to runs.tsv
    local target=$1 scenario=$2 conns=$3 round=$4
    local proxy_pids=${PROXY_PIDS[$target]} peak_pid=${PEAK_PID[$target]}
    reset_peak "$peak_pid"
    local proxy0 worker0 proxy1 worker1 parsed
    # shellcheck disable=SC2086
    local worker_pid=${WORKER_PID[$target]:-$worker_PID}
    proxy0=$(cpu_ticks $proxy_pids); worker0=$(cpu_ticks "$worker_pid")
    run_wrk "$target" "$scenario" "$conns" "$DURATION" >"$WORK/wrk.out" 2>&1 || true
    # shellcheck disable=SC2086
    proxy1=$(cpu_ticks $proxy_pids); worker1=$(cpu_ticks "$worker_pid")
    parsed=$(python3 "$BENCH/report.py" wrk <"$WORK/wrk.out")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$scenario" "$conns" "$target" "$round" "$parsed" \
        $((proxy1 - proxy0)) $((worker1 - worker0)) "$(status_kb "$peak_pid" VmHWM)" >>"$WORK/runs.tsv"
    log "$scenario c$conns $target round $round: $(awk -F'\t' -v ticks=$((proxy1 - proxy0)) -v hz="$CLK_TCK" '{
        printf "%s req/s, p99 %s us, %s errors", $3, $5, $6; if ($1 > 0 && ticks > 0) printf ", proxy CPU %.1f us/req", ticks / hz * 1e6 / $1 }' <<<"$parsed")"
    if [[ $(cut -f1 <<<"$parsed") -eq 0 ]]; then cat "$WORK/wrk.out" >&2; fi
}

# --- environment -------------------------------------------------------------------------------------
DATE=$(date -u +%Y-%m-%dT%H-%M-%SZ)
meta date "$DATE"
meta commit "$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null)$(git -C "$REPO" diff --quiet HEAD -- src 2>/dev/null || echo ' (src has uncommitted changes)')"
meta machine "$(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), $(uname -r); wrk, the worker and every proxy share them"
meta runtime "$(dotnet --list-runtimes | awk '/Microsoft.AspNetCore.App/ { v = $2 } END { print "ASP.NET Core " v }'), $(wrk --version 2>&1 | head -1 | awk '{ print "wrk " $2 }')$($HAVE_NGINX && nginx -v 2>&1 | sed 's/.*version: /, /')"
meta load "wrk -t2 -cN -d${DURATION}s --latency; ${ROUNDS} interleaved round(s) per scenario after a ${WARMUP} s warm-up per target and scenario"
meta CLK_TCK "$CLK_TCK"
meta gateway "function bench: InstanceConcurrency $GATEWAY_CONCURRENCY, one worker instance"

# --- throughput scenarios ----------------------------------------------------------------------------
if ((WARMUP > 0)); then
    log "warm-up: ${WARMUP} s per target and scenario"
    for scenario in "${SCENARIO_LIST[@]}"; do
        for target in "${TARGETS[@]}"; do run_wrk "$target" "$scenario" 64 "$WARMUP" >/dev/null 2>&1 || true; done
    done
fi
for scenario in "${SCENARIO_LIST[@]}"; do
    for conns in $CONNECTIONS; do
        for round in $(seq 1 "$ROUNDS"); do
            for target in "${TARGETS[@]}"; do measure "$target" "$scenario" "$conns" "$round"; done
        done
    done
done

# --- large body --------------------------------------------------------------------------------------
start_sampler() { # start_sampler OUTFILE: VmRSS of the gateway every 50 ms, the running maximum written to OUTFILE
    python3 - "$gateway_PID" "$1" <<'EOF' &
import sys, time
pid, out = sys.argv[1], sys.argv[2]
peak = 0
try:
    while True:
        with open(f"/proc/{pid}/status") as f:
            peak = max(peak, next(int(l.split()[1]) for l in f if l.startswith("VmRSS:")))
        with open(out, "w") as f:
            f.write(str(peak))
        time.sleep(0.05)
except (OSError, StopIteration):
    pass
EOF
    SAMPLER=$!
    PIDS+=("$SAMPLER")
}

measure_large_body() { # LARGE_POSTS sequential 32 MB POSTs to the gateway -> large.tsv
    log "large body: $LARGE_POSTS x $LARGE_BYTES bytes to the gateway"
    head -c "$LARGE_BYTES" /dev/urandom >"$WORK/large.bin"
    SETTLE=5
    sleep 2
    rss_before=$(status_kb "$gateway_PID" VmRSS)
    statuses=() times=() per_post=() peak_max=0
    # Per POST: VmRSS just before it, its own peak (the higher of VmHWM, reset before it, and VmRSS sampled every
    # 50 ms during it), and VmRSS SETTLE s after it, so growth that persists past the first POST shows.
    for i in $(seq 1 "$LARGE_POSTS"); do
        post_before=$(status_kb "$gateway_PID" VmRSS)
        reset_peak "$gateway_PID"
        : >"$WORK/sampled_peak"
        start_sampler "$WORK/sampled_peak"
        read -r code seconds < <(curl -s -o /dev/null -w '%{http_code} %{time_total}\n' --max-time 120 \
            -H 'Content-Type: application/octet-stream' --data-binary @"$WORK/large.bin" "${URL[gateway]}/bench/large" || echo "000 0")
        sleep 0.1
        kill "$SAMPLER" 2>/dev/null || true
        wait "$SAMPLER" 2>/dev/null || true
        post_hwm=$(status_kb "$gateway_PID" VmHWM)
        post_sampled=$(cat "$WORK/sampled_peak" 2>/dev/null || true); post_sampled=${post_sampled:-0}
        post_peak=$((post_hwm > post_sampled ? post_hwm : post_sampled))
        ((post_peak > peak_max)) && peak_max=$post_peak
        sleep "$SETTLE"
        post_after=$(status_kb "$gateway_PID" VmRSS)
        statuses+=("$code"); times+=("$(printf '%.2f' "$seconds")")
        per_post+=("$post_before $post_peak $post_after")
        log "large POST $i: HTTP $code in ${seconds} s; RSS before $((post_before / 1024)) MB, peak $((post_peak / 1024)) MB, after $((post_after / 1024)) MB"
    done
    {
        printf 'body_bytes\t%s\nposts\t%s\nstatuses\t%s\ntimes\t%s\nsettle_s\t%s\n' "$LARGE_BYTES" "$LARGE_POSTS" "${statuses[*]}" "${times[*]}" "$SETTLE"
        printf 'rss_before_kb\t%s\npeak_kb\t%s\nrss_after_kb\t%s\n' "$rss_before" "$peak_max" "$(status_kb "$gateway_PID" VmRSS)"
        for i in "${!per_post[@]}"; do printf 'post%s_kb\t%s\n' $((i + 1)) "${per_post[$i]}"; done
    } >"$WORK/large.tsv"
}
statuses=()
[[ " ${TARGETS[*]} " == *" gateway "* ]] && ((LARGE_POSTS > 0)) && measure_large_body

# --- report ------------------------------------------------------------------------------------------
python3 "$BENCH/report.py" table "$WORK" >"$WORK/results.md"
cat "$WORK/results.md"

if $SMOKE; then
    failed=$(awk -F'\t' '$5 == 0 || $10 != 0 { print $3 " " $1 }' "$WORK/runs.tsv")
    for code in "${statuses[@]}"; do [[ $code == 200 ]] || failed+=$'\n'"gateway large body: HTTP $code"; done
    if [[ -n "${failed//[$'\n ']/}" ]]; then log "smoke FAILED:"$'\n'"$failed"; exit 1; fi
    log "smoke passed: every target answered without errors"
else
    mkdir -p "$BENCH/results"
    if $PARTIAL; then
        cp "$WORK/results.md" "$BENCH/results/$DATE-partial.md"
        log "written: bench/results/$DATE-partial.md (a narrowed run; latest.md left alone)"
    else
        cp "$WORK/results.md" "$BENCH/results/$DATE.md"
        cp "$WORK/results.md" "$BENCH/results/latest.md"
        log "written: bench/results/$DATE.md and bench/results/latest.md"
    fi
fi
