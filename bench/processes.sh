# Process and tool helpers shared by bench/run.sh, bench/soak.sh, bench/ab.sh and bench/profile.sh (sourced, not run). The caller sets WORK (a
# scratch folder), PIDS (an array) and a log function, and calls stop_started from its EXIT trap.

free_ports() { # free_ports N: prints N free loopback ports
    python3 -c '
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks: s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))' "$1"
}

start() { # start NAME COMMAND... ; sets NAME_PID (dotnet app.dll runs in-process, so the PID is the app itself)
    local name=$1; shift
    "$@" >"$WORK/$name.log" 2>&1 &
    PIDS+=($!)
    eval "${name}_PID=$!"
}

wait_ready() { # wait_ready NAME URL [CURL-OPTION...]
    for _ in $(seq 1 150); do
        curl -s -o /dev/null "${@:3}" "$2" && return 0
        sleep 0.2
    done
    log "$1 did not start:"; cat "$WORK/$1.log" >&2; exit 1
}

descendants() { # descendants PID...: the PIDs given and every process below them, one per line
    local pid child
    for pid in "$@"; do
        [[ -d /proc/$pid ]] || continue
        echo "$pid"
        for child in $(pgrep -P "$pid"); do descendants "$child"; done
    done
}

stop_pids() { # stop_pids PID...: SIGTERM to each and to what it started (a gateway's launched instances), then waits
    local pid child below
    below=$(for pid in "$@"; do for child in $(pgrep -P "$pid"); do descendants "$child"; done; done)
    for pid in "$@"; do kill "$pid" 2>/dev/null || true; done
    for pid in "$@"; do wait "$pid" 2>/dev/null || true; done
    # A launched instance outlives a gateway that had no time to stop it; these PIDs were ours a moment ago.
    for pid in $below; do kill "$pid" 2>/dev/null || true; done
}

stop_started() { stop_pids "${PIDS[@]}"; } # for the EXIT trap

rss_threads() { # rss_threads PID: "VmRSS-kB threads" from /proc/PID/status, or nothing when the process is gone
    awk '/^VmRSS:/ { rss = $2 } /^Threads:/ { threads = $2 } END { if (rss) print rss, threads }' "/proc/$1/status" 2>/dev/null || true
}

apt_updated=false
ensure_package() { # ensure_package COMMAND PACKAGE...: installs the first PACKAGE that provides COMMAND (as root, with apt-get)
    command -v "$1" >/dev/null && return 0
    [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null || return 1
    $apt_updated || { log "apt-get update"; apt-get update -qq >/dev/null; apt_updated=true; }
    local package
    for package in "${@:2}"; do
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null 2>&1 && command -v "$1" >/dev/null && return 0
    done
    return 1
}

stop_one() { # stop_one PID: stops one process started with start (and what it started) before the script ends
    local pid kept=()
    stop_pids "$1"
    for pid in "${PIDS[@]}"; do [[ $pid == "$1" ]] || kept+=("$pid"); done
    PIDS=("${kept[@]}")
}

write_event_gateway_config() { # write_event_gateway_config DIR WORKER-URL INSTANCE-CONCURRENCY [CLUSTER-KEYS]: DIR/appsettings.json of a
    # gateway whose one function, "bench", is served in event mode by the worker at WORKER-URL, for every path; CLUSTER-KEYS
    # (JSON members ending with a comma) are added to its cluster
    mkdir -p "$1"
    cat >"$1/appsettings.json" <<JSON
{
  "Logging": { "LogLevel": { "Default": "Warning" } },
  "Gateway": {
    "AccountId": "1234567890123456",
    "Region": "bench",
    "Functions": { "bench": { "Timeout": "00:00:30", "InstanceConcurrency": $3 } }
  },
  "ReverseProxy": {
    "Routes": {
      "bench": { "ClusterId": "bench", "Match": { "Path": "/{**catchall}" }, "Metadata": { "FunctionName": "bench" } }
    },
    "Clusters": {
      "bench": { ${4:-}"Destinations": { "worker": { "Address": "$2" } } }
    }
  }
}
JSON
}

write_wrk_scripts() { # write_wrk_scripts DIR: DIR/get.lua (no body), post1k.lua (1 KiB JSON), post64k.lua (64 KiB binary)
    cat >"$1/post1k.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"data":"' .. string.rep("a", 1024 - 11) .. '"}'
LUA
    cat >"$1/post64k.lua" <<'LUA'
local bytes = {}
for i = 1, 65536 do bytes[i] = string.char((i * 131 + 128) % 256) end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/octet-stream"
wrk.body = table.concat(bytes)
LUA
    : >"$1/get.lua"
}

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
sdk_pull_keys() { # sdk_pull_keys MIN-INSTANCES SAMPLES-DLL: the function keys that make the gateway launch the sample, pulling
    printf ', "RuntimeApi": "fc", "Command": "dotnet", "Arguments": ["%s", "http-echo", "--Logging:LogLevel:Default=Warning"], "MinInstances": %s, "MaxInstances": 1' "$2" "$1"
}
