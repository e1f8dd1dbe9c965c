#!/usr/bin/env bash
# Side-by-side benchmark of the gateway (event mode) against plain YARP, nginx and the worker itself.
#
#   bench/run.sh                full run: ~12 min with the defaults; writes bench/results/<date>.md and latest.md
#   bench/run.sh --smoke        each target once for 2 s per scenario (c16), one 32 MB POST and one cold start; fails
#                               unless every target answered without errors; prints the table, writes no file
#   bench/run.sh --soak MINUTES constant POST 1 KiB load on the gateway + C# SDK chain for MINUTES, printing RSS of the
#                               gateway and of the worker and wrk's p99 per sample; fails if either died or a request failed
#
# Environment: BENCH_DURATION (s per wrk run, default 10), BENCH_ROUNDS (interleaved rounds, default 2),
# BENCH_WARMUP (s per target and scenario before measuring, default 10), BENCH_CONNECTIONS (default "16 64"),
# BENCH_LARGE_POSTS (32 MB POSTs, default 3; 0 skips the large-body part), BENCH_COLD_STARTS (functions a running
# gateway launches the C# SDK sample for, one request each, default 5; 0 skips), BENCH_SCENARIOS (default "get post1k post64k"),
# BENCH_TARGETS (default "direct gateway otel yarp nginx"; also "sdkpush sdkpull slsinproc slsworkers", and "gatewayh2c
# yarph2c sdkpushh2c": the gateway, plain YARP and the SDK push chain with workers over cleartext HTTP/2, and
# "gatewayinline": the gateway with DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1). A run
# narrowed by BENCH_SCENARIOS, BENCH_TARGETS or BENCH_LARGE_POSTS=0 prints its table and writes
# bench/results/<date>-partial.md, leaving latest.md alone. --soak: SOAK_TARGET (sdkpull, the default, or sdkpush),
# SOAK_SAMPLE_SECONDS (one wrk run per sample, default 60), SOAK_CONNECTIONS (default 16).
#
# Every process is started on 127.0.0.1 and forwards to the same fast worker; all are stopped on exit. "otel" is a
# second gateway, identical but exporting traces, metrics and logs over OTLP/HTTP to a sink (another fast worker), so
# the table shows what telemetry costs, as a ratio to the "gateway" column (telemetry off: nothing exported).
# "sdkpush" and "sdkpull" put the C# SDK's http-echo sample behind the gateway instead of the fast worker: pushed to
# (the sample serving /invoke) and pulled by (the sample launched by the gateway, polling its runtime API), each one
# process running 64 invocations at a time; their worker CPU is the sample's. "slsinproc" and "slsworkers" are
# serverless-offline (installed into bench/serverless with npm ci) running bench/serverless/handler.js, an echo, in
# its own process (--useInProcess) or in worker threads (its default); their CPU is the node process tree's.
# See bench/README.md for what the columns mean.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$REPO/bench"
SMOKE=false
SOAK_MINUTES=0
case "${1:-}" in
    --smoke) SMOKE=true ;;
    --soak) SOAK_MINUTES=${2:?"--soak MINUTES"}; [[ $SOAK_MINUTES =~ ^[1-9][0-9]*$ ]] || { echo "--soak takes whole minutes" >&2; exit 2; } ;;
    "") ;;
    *) echo "usage: bench/run.sh [--smoke | --soak MINUTES]" >&2; exit 2 ;;
esac

DURATION=${BENCH_DURATION:-10}
ROUNDS=${BENCH_ROUNDS:-2}
WARMUP=${BENCH_WARMUP:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-"16 64"}
LARGE_POSTS=${BENCH_LARGE_POSTS:-3}
SCENARIO_LIST=(${BENCH_SCENARIOS:-get post1k post64k})
WANTED_TARGETS=" ${BENCH_TARGETS:-direct gateway otel yarp nginx} "
COLD_STARTS=${BENCH_COLD_STARTS:-5}
PARTIAL=false
[[ -n "${BENCH_SCENARIOS:-}${BENCH_TARGETS:-}" || $LARGE_POSTS -eq 0 ]] && PARTIAL=true
LARGE_BYTES=$((32 * 1024 * 1024))
if $SMOKE; then DURATION=2; ROUNDS=1; WARMUP=0; CONNECTIONS=16; LARGE_POSTS=1; COLD_STARTS=1; fi
if ((SOAK_MINUTES > 0)); then
    [[ ${SOAK_TARGET:-sdkpull} =~ ^sdkpu(ll|sh)$ ]] || { echo "SOAK_TARGET is sdkpull or sdkpush" >&2; exit 2; }
    WANTED_TARGETS=" ${SOAK_TARGET:-sdkpull} "
fi
wants() { [[ $WANTED_TARGETS == *" $1 "* ]]; }

WORK=$(mktemp -d /tmp/fc-bench.XXXXXX)
PIDS=()
NGINX_MASTER=""

source "$BENCH/processes.sh"
cleanup() {
    local status=$?
    [[ -n "$NGINX_MASTER" ]] && kill -QUIT "$NGINX_MASTER" 2>/dev/null || true
    stop_started
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
note() { printf '%s\n' "$*" >> "$WORK/notes.tsv"; log "note: $*"; }
meta() { printf '%s\t%s\n' "$1" "$2" >> "$WORK/meta.tsv"; }

# --- tools -------------------------------------------------------------------------------------------
ensure_package wrk wrk || { log "wrk is required (apt-get install wrk)"; exit 1; }
PATH="$PATH:/usr/sbin"
HAVE_NGINX=true
ensure_package nginx nginx-light nginx || { HAVE_NGINX=false; note "nginx could not be installed: its column is skipped."; }

log "building (Release)"
for project in src/Gateway src/Samples bench/FastWorker bench/PlainYarp; do
    dotnet build "$REPO/$project" -c Release -nologo -v quiet >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
done

# --- processes ---------------------------------------------------------------------------------------
read -r WORKER_PORT GATEWAY_PORT YARP_PORT NGINX_PORT OTEL_PORT SINK_PORT SDK_PORT SDKPUSH_PORT SDKPULL_PORT RUNTIME_API_PORT SDKPUSH_RUNTIME_API_PORT \
    SLSINPROC_PORT SLSINPROC_LAMBDA_PORT SLSWORKERS_PORT SLSWORKERS_LAMBDA_PORT \
    WORKER2_PORT GATEWAYH2C_PORT YARPH2C_PORT SDKH2C_PORT SDKPUSHH2C_PORT SDKPUSHH2C_RUNTIME_API_PORT GATEWAYINLINE_PORT < <(free_ports 22)
WORKER_URL="http://127.0.0.1:$WORKER_PORT"
WORKER2_URL="http://127.0.0.1:$WORKER2_PORT"
GATEWAY_DLL="$REPO/src/Gateway/bin/Release/net10.0/FcGateway.dll"

TARGETS=()
declare -A URL=() PROXY_PIDS=() PEAK_PID=() WORKER_PID=() TREE=()
if wants direct || wants gateway || wants gatewayinline || wants otel || wants yarp || wants nginx; then
    start worker dotnet "$BENCH/FastWorker/bin/Release/net10.0/FastWorker.dll" --urls "$WORKER_URL"
    wait_ready worker "$WORKER_URL/"
fi

# The fast worker takes any concurrency. The gateway's default InstanceConcurrency (1, as FC) would queue every
# invocation behind one in flight on one instance, which measures that queue, not the proxy: plain YARP and nginx
# forward all N connections' requests at once. BENCH_INSTANCE_CONCURRENCY=1 measures the default.
GATEWAY_CONCURRENCY=${BENCH_INSTANCE_CONCURRENCY:-1000}
write_event_gateway_config "$WORK/gateway" "$WORKER_URL" "$GATEWAY_CONCURRENCY"
# CPU is counted over PROXY_PIDS (and every process below them for a TREE target), the worker's over WORKER_PID
# (the fast worker when unset, nothing when empty); peak RSS is read from PEAK_PID (the worker for direct).
if wants direct; then
    TARGETS+=(direct); URL[direct]="$WORKER_URL"; PROXY_PIDS[direct]=""; PEAK_PID[direct]="$worker_PID"
fi
if wants gateway; then
    start gateway dotnet "$GATEWAY_DLL" --contentRoot "$WORK/gateway" --urls "http://127.0.0.1:$GATEWAY_PORT"
    wait_ready gateway "http://127.0.0.1:$GATEWAY_PORT/"
    TARGETS+=(gateway); URL[gateway]="http://127.0.0.1:$GATEWAY_PORT"; PROXY_PIDS[gateway]="$gateway_PID"; PEAK_PID[gateway]="$gateway_PID"
fi
if wants gatewayinline; then
    # The same gateway with .NET's inline socket completions, an operator's choice (docs/gateway.md, "Inline socket I/O").
    DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 start gatewayinline dotnet "$GATEWAY_DLL" --contentRoot "$WORK/gateway" --urls "http://127.0.0.1:$GATEWAYINLINE_PORT"
    wait_ready gatewayinline "http://127.0.0.1:$GATEWAYINLINE_PORT/"
    TARGETS+=(gatewayinline); URL[gatewayinline]="http://127.0.0.1:$GATEWAYINLINE_PORT"
    PROXY_PIDS[gatewayinline]="$gatewayinline_PID"; PEAK_PID[gatewayinline]="$gatewayinline_PID"
fi
if wants otel; then
    # Every request sampled (the SDK's default), metrics every 10 s instead of 60 so their export is in each run.
    start sink dotnet "$BENCH/FastWorker/bin/Release/net10.0/FastWorker.dll" --urls "http://127.0.0.1:$SINK_PORT"
    wait_ready sink "http://127.0.0.1:$SINK_PORT/"
    OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$SINK_PORT" OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf OTEL_METRIC_EXPORT_INTERVAL=10000 \
        start otel dotnet "$GATEWAY_DLL" --contentRoot "$WORK/gateway" --urls "http://127.0.0.1:$OTEL_PORT"
    wait_ready otel "http://127.0.0.1:$OTEL_PORT/"
    TARGETS+=(otel); URL[otel]="http://127.0.0.1:$OTEL_PORT"; PROXY_PIDS[otel]="$otel_PID"; PEAK_PID[otel]="$otel_PID"
fi
if wants yarp; then
    start yarp dotnet "$BENCH/PlainYarp/bin/Release/net10.0/PlainYarp.dll" --urls "http://127.0.0.1:$YARP_PORT" --Destination "$WORKER_URL" --Logging:LogLevel:Default=Warning
    wait_ready yarp "http://127.0.0.1:$YARP_PORT/"
    TARGETS+=(yarp); URL[yarp]="http://127.0.0.1:$YARP_PORT"; PROXY_PIDS[yarp]="$yarp_PID"; PEAK_PID[yarp]="$yarp_PID"
fi

# Workers over cleartext HTTP/2 (prior knowledge; a cluster asks for it with HttpRequest Version 2, RequestVersionExact):
# a second fast worker listening HTTP/2 only, behind the gateway and behind plain YARP, each cluster asking for HTTP/2;
# their worker CPU is that worker's. Invocations share one connection, whose frames are read and written in batches.
HTTP2_CLUSTER='"HttpRequest": { "Version": "2", "VersionPolicy": "RequestVersionExact" }, '
if wants gatewayh2c || wants yarph2c; then
    Kestrel__EndpointDefaults__Protocols=Http2 start worker2 dotnet "$BENCH/FastWorker/bin/Release/net10.0/FastWorker.dll" --urls "$WORKER2_URL"
    wait_ready worker2 "$WORKER2_URL/" --http2-prior-knowledge
fi
if wants gatewayh2c; then
    write_event_gateway_config "$WORK/gatewayh2c" "$WORKER2_URL" "$GATEWAY_CONCURRENCY" "$HTTP2_CLUSTER"
    start gatewayh2c dotnet "$GATEWAY_DLL" --contentRoot "$WORK/gatewayh2c" --urls "http://127.0.0.1:$GATEWAYH2C_PORT"
    wait_ready gatewayh2c "http://127.0.0.1:$GATEWAYH2C_PORT/"
    TARGETS+=(gatewayh2c); URL[gatewayh2c]="http://127.0.0.1:$GATEWAYH2C_PORT"
    PROXY_PIDS[gatewayh2c]="$gatewayh2c_PID"; PEAK_PID[gatewayh2c]="$gatewayh2c_PID"; WORKER_PID[gatewayh2c]="$worker2_PID"
fi
if wants yarph2c; then
    start yarph2c dotnet "$BENCH/PlainYarp/bin/Release/net10.0/PlainYarp.dll" --urls "http://127.0.0.1:$YARPH2C_PORT" --Destination "$WORKER2_URL" \
        --DestinationHttpVersion 2 --Logging:LogLevel:Default=Warning
    wait_ready yarph2c "http://127.0.0.1:$YARPH2C_PORT/"
    TARGETS+=(yarph2c); URL[yarph2c]="http://127.0.0.1:$YARPH2C_PORT"
    PROXY_PIDS[yarph2c]="$yarph2c_PID"; PEAK_PID[yarph2c]="$yarph2c_PID"; WORKER_PID[yarph2c]="$worker2_PID"
fi

# The sample as a function is deployed: published ReadyToRun (precompiled), which starts it ~120 ms sooner than the
# built dll (~410 -> ~290 ms to its first poll, 2026-11-30).
dotnet publish "$REPO/src/Samples" -c Release --use-current-runtime --self-contained false -p:PublishReadyToRun=true -o "$WORK/samples" \
    -nologo -v quiet >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
SAMPLES_DLL="$WORK/samples/Samples.dll"
if wants sdkpush; then
    FC_INSTANCE_CONCURRENCY=64 start sdk dotnet "$SAMPLES_DLL" http-echo --urls "http://127.0.0.1:$SDK_PORT" --Logging:LogLevel:Default=Warning
    sdk_gateway_config "$WORK/sdkpush" "" '"ClusterId": "bench", ' ',
    "Clusters": { "bench": { "Destinations": { "sample": { "Address": "http://127.0.0.1:'"$SDK_PORT"'" } } } }' "$SDKPUSH_RUNTIME_API_PORT"
    start sdkpush dotnet "$GATEWAY_DLL" --contentRoot "$WORK/sdkpush" --urls "http://127.0.0.1:$SDKPUSH_PORT"
    wait_ready sdkpush "http://127.0.0.1:$SDKPUSH_PORT/healthz"
    TARGETS+=(sdkpush); URL[sdkpush]="http://127.0.0.1:$SDKPUSH_PORT"
    PROXY_PIDS[sdkpush]="$sdkpush_PID"; PEAK_PID[sdkpush]="$sdkpush_PID"; WORKER_PID[sdkpush]="$sdk_PID"
fi
if wants sdkpushh2c; then
    # The same, the sample listening HTTP/2 only (Kestrel's own setting) and the cluster asking for it.
    FC_INSTANCE_CONCURRENCY=64 start sdkh2c dotnet "$SAMPLES_DLL" http-echo --urls "http://127.0.0.1:$SDKH2C_PORT" --Logging:LogLevel:Default=Warning \
        --Kestrel:EndpointDefaults:Protocols=Http2
    sdk_gateway_config "$WORK/sdkpushh2c" "" '"ClusterId": "bench", ' ',
    "Clusters": { "bench": { '"$HTTP2_CLUSTER"'"Destinations": { "sample": { "Address": "http://127.0.0.1:'"$SDKH2C_PORT"'" } } } }' "$SDKPUSHH2C_RUNTIME_API_PORT"
    start sdkpushh2c dotnet "$GATEWAY_DLL" --contentRoot "$WORK/sdkpushh2c" --urls "http://127.0.0.1:$SDKPUSHH2C_PORT"
    wait_ready sdkpushh2c "http://127.0.0.1:$SDKPUSHH2C_PORT/healthz"
    TARGETS+=(sdkpushh2c); URL[sdkpushh2c]="http://127.0.0.1:$SDKPUSHH2C_PORT"
    PROXY_PIDS[sdkpushh2c]="$sdkpushh2c_PID"; PEAK_PID[sdkpushh2c]="$sdkpushh2c_PID"; WORKER_PID[sdkpushh2c]="$sdkh2c_PID"
fi
if wants sdkpull; then
    sdk_gateway_config "$WORK/sdkpull" "$(sdk_pull_keys 1 "$SAMPLES_DLL")" "" "" "$RUNTIME_API_PORT"
    start sdkpull dotnet "$GATEWAY_DLL" --contentRoot "$WORK/sdkpull" --urls "http://127.0.0.1:$SDKPULL_PORT"
    wait_ready sdkpull "http://127.0.0.1:$SDKPULL_PORT/healthz"
    curl -s -o /dev/null --max-time 60 "http://127.0.0.1:$SDKPULL_PORT/bench/warm" || true
    TARGETS+=(sdkpull); URL[sdkpull]="http://127.0.0.1:$SDKPULL_PORT"
    PROXY_PIDS[sdkpull]="$sdkpull_PID"; PEAK_PID[sdkpull]="$sdkpull_PID"
    WORKER_PID[sdkpull]=$(pgrep -P "$sdkpull_PID" -f Samples.dll | head -1)
    [[ -n ${WORKER_PID[sdkpull]} ]] || { log "the gateway did not launch the pull-mode sample:"; cat "$WORK/sdkpull.log" >&2; exit 1; }
fi

SERVERLESS="$BENCH/serverless"
ensure_serverless() { # node and npm, and bench/serverless/node_modules holding exactly the versions package.json pins
    ensure_package node nodejs && ensure_package npm npm || return 1
    (cd "$SERVERLESS" && node -e '
const pinned = require("./package.json").devDependencies;
const installed = name => { try { return require(`./node_modules/${name}/package.json`).version; } catch { return null; } };
process.exit(Object.entries(pinned).every(([name, version]) => installed(name) === version) ? 0 : 1);') && return 0
    log "npm ci in bench/serverless"
    (cd "$SERVERLESS" && npm ci --no-audit --no-fund --loglevel=error) >"$WORK/npm.log" 2>&1 || { cat "$WORK/npm.log" >&2; return 1; }
}
start_serverless() { # start_serverless TARGET HTTP-PORT LAMBDA-PORT [--useInProcess]
    # No telemetry or update notices; idle worker threads are kept (default: ended after 60 s idle), as the gateway
    # keeps its instance, so interleaved rounds measure a warm pool, not thread start-up.
    SLS_TELEMETRY_DISABLED=1 SLS_NOTIFICATIONS_MODE=off start "$1" env -C "$SERVERLESS" node node_modules/serverless/bin/serverless.js offline \
        --host 127.0.0.1 --httpPort "$2" --lambdaPort "$3" --noPrependStageInUrl --terminateIdleLambdaTime 3600 "${@:4}"
    wait_ready "$1" "http://127.0.0.1:$2/bench/ready"
    local pid_var="${1}_PID"
    TARGETS+=("$1"); URL[$1]="http://127.0.0.1:$2"
    PROXY_PIDS[$1]=${!pid_var}; PEAK_PID[$1]=${!pid_var}; WORKER_PID[$1]=""; TREE[$1]=1
}
if wants slsinproc || wants slsworkers; then
    if ensure_serverless; then
        wants slsinproc && start_serverless slsinproc "$SLSINPROC_PORT" "$SLSINPROC_LAMBDA_PORT" --useInProcess
        wants slsworkers && start_serverless slsworkers "$SLSWORKERS_PORT" "$SLSWORKERS_LAMBDA_PORT"
    else
        note "serverless-offline could not be installed (node, npm, or npm ci in bench/serverless failed): its columns are skipped."
    fi
fi

if $HAVE_NGINX && wants nginx; then
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

cpu_ticks() { # utime+stime of the given PIDs, in clock ticks (a process gone by now counts nothing)
    local total=0 pid line rest fields
    for pid in "$@"; do
        { read -r line <"/proc/$pid/stat"; } 2>/dev/null || continue
        rest=${line##*) }           # fields after "(comm) ": state is field 3, utime 14, stime 15
        read -r -a fields <<<"$rest"
        total=$((total + fields[11] + fields[12]))
    done
    echo "$total"
}

status_kb() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"; }

reset_peak() { echo 5 >"/proc/$1/clear_refs" 2>/dev/null || true; }  # VmHWM := VmRSS (Linux >= 4.0)

# wrk Lua scripts: no body, a 1 KiB JSON body and a 64 KiB binary body.
write_wrk_scripts "$WORK"

run_wrk() { # run_wrk TARGET SCENARIO CONNS SECONDS -> wrk output on stdout
    timeout $(($4 + 30)) wrk -t2 -c"$3" -d"$4s" --latency -s "$WORK/$2.lua" "${URL[$1]}/bench/$2"
}

measure() { # measure TARGET SCENARIO CONNS ROUND -> appends a line to runs.tsv
    local target=$1 scenario=$2 conns=$3 round=$4
    local proxy_pids=${PROXY_PIDS[$target]} peak_pid=${PEAK_PID[$target]}
    reset_peak "$peak_pid"
    local proxy0 worker0 proxy1 worker1 parsed
    local worker_pid=${WORKER_PID[$target]-$worker_PID}
    # A TREE target's processes are counted as they are before the run and after it: one started during the run
    # counts from 0, one ended during it is missed (serverless-offline's pool runs in threads of one process).
    [[ -n ${TREE[$target]:-} ]] && proxy_pids=$(descendants $proxy_pids)
    # shellcheck disable=SC2086
    proxy0=$(cpu_ticks $proxy_pids); worker0=$(cpu_ticks $worker_pid)
    run_wrk "$target" "$scenario" "$conns" "$DURATION" >"$WORK/wrk.out" 2>&1 || true
    [[ -n ${TREE[$target]:-} ]] && proxy_pids=$(descendants ${PROXY_PIDS[$target]})
    # shellcheck disable=SC2086
    proxy1=$(cpu_ticks $proxy_pids); worker1=$(cpu_ticks $worker_pid)
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

# --- soak --------------------------------------------------------------------------------------------
soak() { # constant POST 1 KiB load on the one soak target for SOAK_MINUTES, one wrk run per sample; prints a row each
    local target=${TARGETS[0]} sample=${SOAK_SAMPLE_SECONDS:-60} conns=${SOAK_CONNECTIONS:-16}
    local total=$((SOAK_MINUTES * 60)) elapsed=0 step parsed gateway worker failed=""
    local gateway_pid=${PROXY_PIDS[$target]} worker_pid=${WORKER_PID[$target]}
    log "soak: $SOAK_MINUTES min of POST 1 KiB at c$conns on $target, a sample every $sample s"
    : >"$WORK/soak.tsv"
    while ((elapsed < total)); do
        step=$((sample < total - elapsed ? sample : total - elapsed))
        run_wrk "$target" post1k "$conns" "$step" >"$WORK/wrk.out" 2>&1 || true
        elapsed=$((elapsed + step))
        parsed=$(python3 "$BENCH/report.py" wrk <"$WORK/wrk.out")
        # The launched worker is looked up again each time: a crashed instance is replaced by another process.
        [[ $target == sdkpull ]] && worker_pid=$(pgrep -P "$gateway_pid" -f Samples.dll | head -1 || true)
        gateway=$(rss_threads "$gateway_pid"); worker=$(rss_threads "${worker_pid:-0}")
        printf '%s\t%s\t%s\t%s\t%s\n' "$elapsed" "${gateway:-0 0}" "${worker:-0 0}" "${worker_pid:-}" "$parsed" | tr ' ' '\t' >>"$WORK/soak.tsv"
        log "soak $((elapsed / 60)) min $((elapsed % 60)) s: $(awk -F'\t' '{ printf "%s req/s, p99 %s us, %s errors", $3, $5, $6 }' <<<"$parsed")"
        [[ -z $gateway ]] && { failed="the gateway died"; break; }
        [[ -z $worker ]] && { failed="the worker is gone"; break; }
    done
    python3 "$BENCH/report.py" soak "$WORK" "$target" "$conns"
    if [[ -z $failed ]] && awk -F'\t' '$7 == 0 || $12 != 0 { bad = 1 } END { exit !bad }' "$WORK/soak.tsv"; then
        failed="a sample had errors or no requests"
    fi
    [[ -z $failed ]] || { log "soak FAILED: $failed"; tail -30 "$WORK/$target.log" >&2; return 1; }
    log "soak passed: the gateway and the worker stayed up, every sample answered without errors"
}
if ((SOAK_MINUTES > 0)); then soak; exit; fi

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

# --- cold start --------------------------------------------------------------------------------------
# A Go binary pulling from the runtime API (bench/gofunction: fc.Start's protocol on the standard library), built when
# Go is installed or can be (apt-get, as root); its launches are measured after the C# sample's.
GO_FUNCTION=""
if ((COLD_STARTS > 0)); then
    if ensure_package go golang-go \
        && GO111MODULE=off GOCACHE="$WORK/gocache" go build -o "$WORK/gofunction" "$BENCH/gofunction/main.go" >"$WORK/gobuild.log" 2>&1; then
        GO_FUNCTION="$WORK/gofunction"
    else
        note "Go could not be installed or built: the Go binary's cold start is skipped."
    fi
fi
# The same sample published native AOT (one executable, no JIT), as a C# function deployed for start-up would be.
AOT_SAMPLE=""
if ((COLD_STARTS > 0)); then
    if dotnet publish "$REPO/src/Samples" -c Release --use-current-runtime -p:PublishAot=true -o "$WORK/samples-aot" \
        -nologo -v quiet >"$WORK/aotbuild.log" 2>&1; then
        AOT_SAMPLE="$WORK/samples-aot/Samples"
    else
        note "The sample could not be published native AOT ($WORK/aotbuild.log): its cold start is skipped."
    fi
fi
cold_start_config() { # cold_start_config DIR API-PORT: functions warm, cold1..N (the C# sample), aotcold1..N and gocold1..N, launched on demand
    local names=(warm) i fn keys functions="" routes="" sep=""
    for i in $(seq 1 "$COLD_STARTS"); do
        names+=("cold$i"); [[ -n $AOT_SAMPLE ]] && names+=("aotcold$i"); [[ -n $GO_FUNCTION ]] && names+=("gocold$i")
    done
    for fn in "${names[@]}"; do
        keys="\"Handler\": \"Samples.http-echo\"$(sdk_pull_keys 0 "$SAMPLES_DLL")"
        [[ $fn == aot* ]] && keys="\"Handler\": \"Samples.http-echo\", \"RuntimeApi\": \"fc\", \"Command\": \"$AOT_SAMPLE\", \"Arguments\": [\"http-echo\", \"--Logging:LogLevel:Default=Warning\"], \"MinInstances\": 0, \"MaxInstances\": 1"
        [[ $fn == go* ]] && keys="\"Handler\": \"main\", \"RuntimeApi\": \"fc\", \"Command\": \"$GO_FUNCTION\", \"MinInstances\": 0, \"MaxInstances\": 1"
        functions+="$sep\"$fn\": { \"Timeout\": \"00:00:30\", $keys }"
        routes+="$sep\"$fn\": { \"Match\": { \"Path\": \"/$fn/{**rest}\" }, \"Metadata\": { \"FunctionName\": \"$fn\" } }"
        sep=", "
    done
    mkdir -p "$1"
    cat >"$1/appsettings.json" <<EOF
{
  "Logging": { "LogLevel": { "Default": "Warning", "FcGateway.Dispatch.Pull.LaunchedInstancePool": "Information" } },
  "Gateway": { "AccountId": "1234567890123456", "Region": "bench", "RuntimeApi": { "Urls": "http://127.0.0.1:$2" }, "Functions": { $functions } },
  "ReverseProxy": { "Routes": { $routes } }
}
EOF
}
launch_once() { # launch_once HTTP-PORT FUNCTION RUN TSV: one POST that launches FUNCTION's first instance -> a line of TSV
    local code seconds ready=""
    read -r code seconds < <(curl -s -o /dev/null -w '%{http_code} %{time_total}\n' --max-time 60 \
        -H 'Content-Type: application/json' -d '{"data":"cold"}' "http://127.0.0.1:$1/$2/cold" || echo "000 0")
    for _ in $(seq 1 50); do
        ready=$(grep -o "Function '$2': instance [^ ]* is ready ([0-9]*" "$WORK/coldstart.log" | grep -o '([0-9]*' | tr -d '(' | head -1 || true)
        [[ -n $ready ]] && break
        sleep 0.1
    done
    printf '%s\t%s\t%s\t%s\n' "$3" "$code" "$seconds" "$ready" >>"$4"
    log "cold start of $2: HTTP $code in $seconds s; instance ready ${ready:-?} ms after its process started"
}
measure_cold_starts() { # one gateway; "warm" launches first (the gateway's own first request), then cold1..N, aotcold1..N, gocold1..N
    log "cold start: one gateway, its first request launching 'warm', then $COLD_STARTS function(s) each launched by one request"
    local i http_port api_port
    read -r http_port api_port < <(free_ports 2)
    cold_start_config "$WORK/coldstart" "$api_port"
    start coldstart dotnet "$GATEWAY_DLL" --contentRoot "$WORK/coldstart" --urls "http://127.0.0.1:$http_port"
    wait_ready coldstart "http://127.0.0.1:$http_port/healthz"
    launch_once "$http_port" warm 0 "$WORK/coldstart.tsv"
    for i in $(seq 1 "$COLD_STARTS"); do
        # The instance launched before keeps compiling its hot code (tiering) for a moment after its first answer:
        # a pause, so that each launch is measured alone rather than against that.
        sleep 2
        launch_once "$http_port" "cold$i" "$i" "$WORK/coldstart.tsv"
    done
    if [[ -n $AOT_SAMPLE ]]; then
        for i in $(seq 1 "$COLD_STARTS"); do
            sleep 1
            launch_once "$http_port" "aotcold$i" "$i" "$WORK/coldstart-aot.tsv"
        done
    fi
    if [[ -n $GO_FUNCTION ]]; then
        for i in $(seq 1 "$COLD_STARTS"); do
            sleep 1
            launch_once "$http_port" "gocold$i" "$i" "$WORK/coldstart-go.tsv"
        done
    fi
    stop_one "$coldstart_PID"
}
# The load targets are done: stopped here, so that a launch competes with nothing they still do after their load
# (tiering, GC, the pulled samples' idle polls); with them running, the same launches measured ~40 % slower.
if ((COLD_STARTS > 0)); then
    stop_started; PIDS=()
    [[ -n "$NGINX_MASTER" ]] && { kill -QUIT "$NGINX_MASTER" 2>/dev/null || true; NGINX_MASTER=""; }
    measure_cold_starts
fi

# --- report ------------------------------------------------------------------------------------------
python3 "$BENCH/report.py" table "$WORK" >"$WORK/results.md"
cat "$WORK/results.md"

if $SMOKE; then
    failed=$(awk -F'\t' '$5 == 0 || $10 != 0 { print $3 " " $1 }' "$WORK/runs.tsv")
    failed+=$'\n'$(cat "$WORK"/coldstart*.tsv 2>/dev/null | awk -F'\t' '$2 != 200 || $4 == "" { print "cold start " $1 ": HTTP " $2 ", instance ready " ($4 == "" ? "not logged" : $4 " ms") }' || true)
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
