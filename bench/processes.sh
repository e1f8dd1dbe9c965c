# Process helpers shared by bench/run.sh and bench/soak.sh (sourced, not run). The caller sets WORK (a scratch
# folder), PIDS (an array) and a log function, and stops every PID in PIDS on exit.

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

wait_ready() { # wait_ready NAME URL
    for _ in $(seq 1 150); do
        curl -s -o /dev/null "$2" && return 0
        sleep 0.2
    done
    log "$1 did not start:"; cat "$WORK/$1.log" >&2; exit 1
}
