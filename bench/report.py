#!/usr/bin/env python3
"""Result parsing for bench/run.sh (Python 3 standard library only).

  report.py wrk < wrk-output          -> one tab-separated line: requests seconds rps p50_us p99_us errors
  report.py table RUNDIR              -> the markdown results table, from RUNDIR/runs.tsv, large.tsv, coldstart.tsv, meta.tsv
  report.py soak RUNDIR TARGET CONNS  -> the soak table (per sample and start/peak/end), from RUNDIR/soak.tsv

runs.tsv columns (one line per wrk run, written by run.sh):
  scenario conns target round requests seconds rps p50_us p99_us errors proxy_ticks worker_ticks hwm_kb
large.tsv columns: key value (rss_before_kb, peak_kb, rss_after_kb, body_bytes, statuses, ..., and
  post<N>_kb: "before peak after" of POST N)
coldstart.tsv (the C# sample, ReadyToRun), coldstart-aot.tsv (the same, native AOT) and coldstart-go.tsv (the Go binary) columns: run http_status first_request_s ready_ms (run 0 is the gateway's warm-up launch; ready_ms from its "is ready" log line)
soak.tsv columns: elapsed_s gateway_rss_kb gateway_threads worker_rss_kb worker_threads worker_pid, then the wrk line
meta.tsv columns: key value (shown under "Environment")
"""
import re
import sys
from collections import defaultdict

UNITS_US = {"us": 1.0, "ms": 1000.0, "s": 1_000_000.0, "m": 60_000_000.0}
SCENARIOS = {"get": "GET, no body", "post1k": "POST 1 KiB JSON", "post64k": "POST 64 KiB binary"}
TARGET_NAMES = {"direct": "direct to worker", "gateway": "gateway (event mode)", "gatewayh2c": "gateway, worker over HTTP/2",
                "gatewayinline": "gateway, inline socket I/O",
                "otel": "gateway, telemetry exported",
                "sdkpush": "gateway + C# SDK, push", "sdkpushh2c": "gateway + C# SDK, push over HTTP/2", "sdkpull": "gateway + C# SDK, pull (launched)",
                "slsinproc": "serverless-offline, in process", "slsworkers": "serverless-offline, worker threads",
                "yarp": "plain YARP", "yarph2c": "plain YARP, worker over HTTP/2", "nginx": "nginx (1 worker)"}
# Whole chains: a gateway and the worker process behind it, or serverless-offline alone (its node process tree).
CHAINS = {"sdkpush": "gateway + C# SDK, push", "sdkpushh2c": "gateway + C# SDK, push over HTTP/2", "sdkpull": "gateway + C# SDK, pull",
          "slsinproc": "serverless-offline `--useInProcess`", "slsworkers": "serverless-offline, worker threads"}
SDK_CHAINS = ("sdkpush", "sdkpushh2c", "sdkpull")
NODE_TARGETS = {"slsinproc", "slsworkers"}
YARP_CPU_GOAL = 0.85  # issue 15: the gateway at most 0.85x plain YARP's CPU per request on every scenario
YARP_P99_GOAL = 1.1  # issue 15: and its p99 at most 1.1x plain YARP's
CHAIN_GOAL = 0.2  # issue 15: the whole chain at most 0.2x serverless-offline in process, POST 1 KiB and GET
COLD_START_GOAL_MS = 300  # issue 15: a launched C# SDK instance answers its first invocation within 300 ms
GO_COLD_START_GOAL_MS = 50  # issue 15: a launched Go binary within 50 ms


def parse_wrk(text):
    """Reads the request count, duration, rate, p50/p99 and error count from `wrk --latency` output."""
    def latency(pct):
        m = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)
        return float(m.group(1)) * UNITS_US[m.group(2)] if m else float("nan")

    done = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", text)
    requests = int(done.group(1)) if done else 0
    seconds = float(done.group(2)) * UNITS_US[done.group(3)] / 1e6 if done else 0.0
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    errors = (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, sockets.groups())) if sockets else 0)
    return [requests, f"{seconds:.2f}", rps.group(1) if rps else "0", f"{latency(50):.0f}", f"{latency(99):.0f}", errors]


def read_tsv(path):
    try:
        with open(path, encoding="utf-8") as f:
            return [line.rstrip("\n").split("\t") for line in f if line.strip()]
    except FileNotFoundError:
        return []


def ms(us):
    return f"{us / 1000:.2f} ms"


def us(value):
    return f"{value:.1f} µs" if value is not None else "—"


def ratio(a, b):
    return f"{a / b:.2f}×" if a and b else "—"


def summarize(rows, clk_tck):
    """Per (scenario, conns, target): mean rate and latencies over the rounds, CPU/request pooled over them."""
    groups = defaultdict(list)
    for r in rows:
        groups[(r[0], int(r[1]), r[2])].append(r)
    result = {}
    for key, runs in groups.items():
        requests = sum(int(r[4]) for r in runs)
        per_request_us = lambda col: sum(int(r[col]) for r in runs) / clk_tck * 1e6 / requests if requests else 0.0
        result[key] = {
            "rounds": len(runs),
            "rps": sum(float(r[6]) for r in runs) / len(runs),
            "p50": sum(float(r[7]) for r in runs) / len(runs),
            "p99": sum(float(r[8]) for r in runs) / len(runs),
            "p99_max": max(float(r[8]) for r in runs),
            "errors": sum(int(r[9]) for r in runs),
            "proxy_cpu": per_request_us(10) if key[2] != "direct" else None,
            "worker_cpu": per_request_us(11) if key[2] not in NODE_TARGETS else None,
            "hwm_mb": max(int(r[12]) for r in runs) / 1024,
        }
    return result


def table(rundir):
    meta = dict(read_tsv(f"{rundir}/meta.tsv"))
    clk_tck = int(meta.get("CLK_TCK", "100"))
    stats = summarize(read_tsv(f"{rundir}/runs.tsv"), clk_tck)
    out = [f"# Benchmark results — {meta.get('date', '')}", "", "## Environment", ""]
    out += [f"- {k}: {v}" for k, v in meta.items()]
    out += ["", "## Throughput, latency, CPU per request", "",
            "Rates and latencies are the mean over the interleaved rounds; CPU/request is utime+stime of the process "
            "(`/proc/PID/stat`) over all rounds ÷ requests; peak RSS is VmHWM, reset before each run "
            "(`/proc/PID/clear_refs`), of the proxy (of the worker for the direct column).", "",
            "| scenario | conns | target | req/s | p50 | p99 | proxy CPU/req | worker CPU/req | peak RSS | errors |",
            "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    order = [t for t in TARGET_NAMES if any(k[2] == t for k in stats)]
    keys = sorted({(s, c) for s, c, _ in stats}, key=lambda k: (list(SCENARIOS).index(k[0]), k[1]))
    for scenario, conns in keys:
        for target in order:
            s = stats.get((scenario, conns, target))
            if not s:
                continue
            out.append(f"| {SCENARIOS[scenario]} | {conns} | {TARGET_NAMES[target]} | {s['rps']:,.0f} | {ms(s['p50'])} | "
                       f"{ms(s['p99'])} | {us(s['proxy_cpu'])} | {us(s['worker_cpu'])} | {s['hwm_mb']:.0f} MB | {s['errors']} |")

    out += ["", "## Ratios (gateway ÷ reference, same run)", "",
            "| scenario | conns | CPU/req ÷ YARP | p99 ÷ YARP | req/s ÷ YARP | CPU/req ÷ nginx | p99 ÷ nginx |",
            "|---|---:|---:|---:|---:|---:|---:|"]
    for scenario, conns in keys:
        g = stats.get((scenario, conns, "gateway"))
        y = stats.get((scenario, conns, "yarp"), {})
        n = stats.get((scenario, conns, "nginx"), {})
        if not g:
            continue
        out.append(f"| {SCENARIOS[scenario]} | {conns} | {ratio(g['proxy_cpu'], y.get('proxy_cpu'))} | {ratio(g['p99'], y.get('p99'))} | "
                   f"{ratio(g['rps'], y.get('rps'))} | {ratio(g['proxy_cpu'], n.get('proxy_cpu'))} | {ratio(g['p99'], n.get('p99'))} |")

    out += http2_workers(stats, keys)
    out += telemetry_cost(stats, keys)
    out += inline_socket_io(stats, keys)
    out += sdk_transports(stats, keys)
    out += whole_chain(stats, keys)

    large = dict(read_tsv(f"{rundir}/large.tsv"))
    if large:
        body = int(large["body_bytes"])
        before, peak, after = (int(large[k]) * 1024 for k in ("rss_before_kb", "peak_kb", "rss_after_kb"))
        growth = peak - before
        out += ["", "## Large body: gateway, event mode", "",
                f"{large['posts']} sequential POSTs of {body:,} bytes (application/octet-stream) with curl; statuses {large['statuses']}, "
                f"times {large['times']} s. Peak is the highest over the POSTs of VmHWM (reset before each POST) and VmRSS sampled every 50 ms; "
                f"'after' is VmRSS {large['settle_s']} s after the last POST.", "",
                "| RSS before | peak during | after | peak growth | peak growth ÷ body | after − before |",
                "|---:|---:|---:|---:|---:|---:|",
                f"| {before / 2**20:.0f} MB | {peak / 2**20:.0f} MB | {after / 2**20:.0f} MB | {growth / 2**20:.0f} MB | "
                f"{growth / body:.2f}× | {(after - before) / 2**20:+.0f} MB |"]
        posts = per_post(large)
        if posts:
            out += ["", f"Per POST: VmRSS just before it, its own peak (VmHWM reset before it, and VmRSS sampled every 50 ms), "
                    f"VmRSS {large['settle_s']} s after it.", "",
                    "| POST | before | peak | after | peak − before | peak − before ÷ body | after − RSS before POST 1 |",
                    "|---:|---:|---:|---:|---:|---:|---:|"]
            for i, (b, p, a) in enumerate(posts, 1):
                out.append(f"| {i} | {b / 2**20:.0f} MB | {p / 2**20:.0f} MB | {a / 2**20:.0f} MB | {(p - b) / 2**20:.0f} MB | "
                           f"{(p - b) / body:.2f}× | {(a - before) / 2**20:+.0f} MB |")

    cold, aot_cold, go_cold = (read_tsv(f"{rundir}/coldstart{suffix}.tsv") for suffix in ("", "-aot", "-go"))
    out += cold_start(cold, aot_cold, go_cold)
    out += ["", "## Targets", ""] + targets(stats, large) + chain_targets(stats, cold, aot_cold, go_cold)
    notes = meta_notes(rundir)
    if notes:
        out += ["", "## Notes", ""] + [f"- {n}" for n in notes]
    return "\n".join(out) + "\n"


def http2_workers(stats, keys):
    """The gateway and plain YARP calling their worker over cleartext HTTP/2, against plain YARP as it comes (HTTP/1.1)."""
    rows = [(s, c) for s, c in keys if (s, c, "gatewayh2c") in stats]
    if not rows:
        return []
    out = ["", "## Workers over HTTP/2 (cluster HttpRequest Version 2, RequestVersionExact; same run)", "",
           "| scenario | conns | gateway h2c CPU/req ÷ YARP | p99 ÷ YARP | ÷ YARP h2c | ÷ gateway (HTTP/1.1) | worker CPU/req h2c ÷ HTTP/1.1 |",
           "|---|---:|---:|---:|---:|---:|---:|"]
    for scenario, conns in rows:
        g = stats[(scenario, conns, "gatewayh2c")]
        y, yh, g1 = (stats.get((scenario, conns, t), {}) for t in ("yarp", "yarph2c", "gateway"))
        out.append(f"| {SCENARIOS[scenario]} | {conns} | {ratio(g['proxy_cpu'], y.get('proxy_cpu'))} | {ratio(g['p99'], y.get('p99'))} | "
                   f"{ratio(g['proxy_cpu'], yh.get('proxy_cpu'))} | {ratio(g['proxy_cpu'], g1.get('proxy_cpu'))} | {ratio(g['worker_cpu'], g1.get('worker_cpu'))} |")
    return out


def sdk_transports(stats, keys):
    """The C# SDK behind the gateway, pushed to and pulling, CPU of both processes per request."""
    rows = [(s, c, stats[(s, c, "sdkpull")], stats[(s, c, "sdkpush")]) for s, c in keys if (s, c, "sdkpull") in stats and (s, c, "sdkpush") in stats]
    if not rows:
        return []
    out = ["", "## Push vs pull (gateway + C# SDK http-echo, CPU per request of gateway + worker, same run)", "",
           "| scenario | conns | push: gateway + worker | pull: gateway + worker | pull ÷ push (total) | p99 pull ÷ push |", "|---|---:|---:|---:|---:|---:|"]
    for scenario, conns, pull, push in rows:
        total_pull, total_push = pull["proxy_cpu"] + pull["worker_cpu"], push["proxy_cpu"] + push["worker_cpu"]
        out.append(f"| {SCENARIOS[scenario]} | {conns} | {total_push:.1f} µs ({push['proxy_cpu']:.0f} + {push['worker_cpu']:.0f}) | "
                   f"{total_pull:.1f} µs ({pull['proxy_cpu']:.0f} + {pull['worker_cpu']:.0f}) | {ratio(total_pull, total_push)} | {ratio(pull['p99'], push['p99'])} |")
    return out


def chain_total(s):
    return s["proxy_cpu"] + (s["worker_cpu"] or 0.0)


def whole_chain(stats, keys):
    """CPU per request of every process of each chain, and the totals as ratios to serverless-offline in process."""
    rows = [(s, c, t) for s, c in keys for t in CHAINS if (s, c, t) in stats]
    if not rows:
        return []
    out = ["", "## Whole chain: CPU per request by process (same run)", "",
           "The gateway's and the worker's processes for the C# SDK chains; serverless-offline's node process and every "
           "process below it (its handlers run in its threads).", "",
           "| scenario | conns | chain | gateway or node | worker | total | p99 |", "|---|---:|---|---:|---:|---:|---:|"]
    for scenario, conns, target in rows:
        s = stats[(scenario, conns, target)]
        out.append(f"| {SCENARIOS[scenario]} | {conns} | {CHAINS[target]} | {us(s['proxy_cpu'])} | {us(s['worker_cpu'])} | "
                   f"{us(chain_total(s))} | {ms(s['p99'])} |")
    compared = [(s, c) for s, c in keys if s in ("post1k", "get") and (s, c, "slsinproc") in stats]
    if not compared:
        return out
    others = [t for t in CHAINS if t != "slsinproc" and any((s, c, t) in stats for s, c in compared)]
    out += ["", f"## Whole chain ÷ serverless-offline in process (CPU per request, total of every process; goal for the C# SDK chains ≤ {CHAIN_GOAL}×)", "",
            "| scenario | conns | serverless-offline in process | " + " | ".join(CHAINS[t] for t in others) + " |",
            "|---|---:|---:|" + "---:|" * len(others)]
    for scenario, conns in compared:
        base = chain_total(stats[(scenario, conns, "slsinproc")])
        cells = [f"{us(chain_total(stats[(scenario, conns, t)]))} ({ratio(chain_total(stats[(scenario, conns, t)]), base)})"
                 if (scenario, conns, t) in stats else "—" for t in others]
        out.append(f"| {SCENARIOS[scenario]} | {conns} | {us(base)} | " + " | ".join(cells) + " |")
    return out


def chain_targets(stats, cold, aot_cold, go_cold):
    lines = []
    for (scenario, conns, target), s in sorted(stats.items()):
        base = stats.get((scenario, conns, "slsinproc"))
        if target in SDK_CHAINS and scenario in ("post1k", "get") and base:
            r = chain_total(s) / chain_total(base)
            lines.append(f"| whole chain ≤ {CHAIN_GOAL}× serverless-offline in process ({CHAINS[target]}, {SCENARIOS[scenario]}, c{conns}) | "
                         f"{chain_total(s):.1f} vs {chain_total(base):.1f} µs ({r:.2f}×) | {'yes' if r <= CHAIN_GOAL else 'no'} |")
    for build, rows in (("ReadyToRun", [r for r in cold if r[0] != "0"]), ("native AOT", aot_cold)):
        first = [float(r[2]) * 1000 for r in rows if r[1] == "200"]
        if first:
            typical = median(first)
            lines.append(f"| C# SDK cold start < {COLD_START_GOAL_MS} ms ({build}; first request answered, median) | {typical:.0f} ms | "
                         f"{'yes' if typical < COLD_START_GOAL_MS else 'no'} |")
    go_first = [float(r[2]) * 1000 for r in go_cold if r[1] == "200"]
    if go_first:
        typical = median(go_first)
        lines.append(f"| Go binary cold start < {GO_COLD_START_GOAL_MS} ms (first request answered, median) | {typical:.0f} ms | "
                     f"{'yes' if typical < GO_COLD_START_GOAL_MS else 'no'} |")
    return lines


def median(values):
    values = sorted(values)
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def cold_start(cold, aot_cold, go_cold):
    """One gateway: its first request launches "warm", then one request to each of cold1..N (aotcold1..N, gocold1..N) launches that function."""
    if not cold:
        return []
    runs = [r for r in cold if r[0] != "0"]
    out = ["", "## Cold start (functions launched by the gateway, pull mode, MinInstances 0)", "",
           f"One gateway; its first request launched a warm-up function, then {len(runs)} functions running the C# SDK's "
           "http-echo published ReadyToRun, as many running it published native AOT and, when Go was at hand, as many running "
           "bench/gofunction (a Go binary) were each launched by one POST, 2 s (1 s) apart. 'Instance ready' is the gateway's log line (its process start to its "
           "first poll of the runtime API); 'first request' is curl's total time for that POST: launch, first poll, "
           "invocation and answer.", "",
           "| function | measure | min | median | runs | statuses |", "|---|---|---:|---:|---:|---|"]
    for name, rows in (("C# SDK http-echo, ReadyToRun", runs), ("C# SDK http-echo, native AOT", aot_cold), ("Go binary", go_cold)):
        ready = [float(r[3]) for r in rows if len(r) > 3 and r[3]]
        first = [float(r[2]) * 1000 for r in rows if r[1] == "200"]
        statuses = " ".join(r[1] for r in rows)
        for measure, values in (("instance ready (process start to first poll)", ready), ("first request answered", first)):
            if values:
                out.append(f"| {name} | {measure} | {min(values):.0f} ms | {median(values):.0f} ms | {len(values)} | {statuses} |")
    warm = [r for r in cold if r[0] == "0" and r[1] == "200"]
    if warm:
        out.append(f"| C# SDK http-echo | the gateway's own first request (its code not yet compiled) | {float(warm[0][2]) * 1000:.0f} ms | | 1 | {warm[0][1]} |")
    return out


def soak(rundir, target, conns):
    """One row per soak sample: RSS and threads of the gateway and the worker, and wrk's rate, p50, p99, errors."""
    rows = read_tsv(f"{rundir}/soak.tsv")
    out = [f"# Soak: {TARGET_NAMES.get(target, target)}, POST 1 KiB, wrk -t2 -c{conns}, one wrk run per sample", "",
           "| minute | gateway RSS | gateway threads | worker RSS | worker threads | req/s | p50 | p99 | errors |",
           "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        out.append(f"| {int(r[0]) / 60:.1f} | {int(r[1]) / 1024:.0f} MB | {r[2]} | {int(r[3]) / 1024:.0f} MB | {r[4]} | "
                   f"{float(r[8]):,.0f} | {ms(float(r[9]))} | {ms(float(r[10]))} | {r[11]} |")
    if rows:
        out += ["", "| process | RSS first sample | peak | last | last − first |", "|---|---:|---:|---:|---:|"]
        for name, col in (("gateway", 1), ("worker", 3)):
            values = [int(r[col]) / 1024 for r in rows]
            out.append(f"| {name} | {values[0]:.0f} MB | {max(values):.0f} MB | {values[-1]:.0f} MB | {values[-1] - values[0]:+.0f} MB |")
        p99 = [float(r[10]) for r in rows]
        out.append(f"\np99 over the samples: min {ms(min(p99))}, max {ms(max(p99))}; worker PIDs: {' '.join(sorted({r[5] for r in rows}))}")
    return "\n".join(out) + "\n"


def telemetry_cost(stats, keys):
    """The gateway exporting traces, metrics and logs (otel) against the same gateway exporting nothing."""
    rows = [(s, c, stats[(s, c, "otel")], stats[(s, c, "gateway")]) for s, c in keys if (s, c, "otel") in stats and (s, c, "gateway") in stats]
    if not rows:
        return []
    out = ["", "## Telemetry cost (gateway exporting over OTLP ÷ gateway exporting nothing, same run)", "",
           "| scenario | conns | CPU/req on | CPU/req off | CPU/req ÷ | p99 ÷ | req/s ÷ |", "|---|---:|---:|---:|---:|---:|---:|"]
    for scenario, conns, on, off in rows:
        out.append(f"| {SCENARIOS[scenario]} | {conns} | {on['proxy_cpu']:.1f} µs | {off['proxy_cpu']:.1f} µs | "
                   f"{ratio(on['proxy_cpu'], off['proxy_cpu'])} | {ratio(on['p99'], off['p99'])} | {ratio(on['rps'], off['rps'])} |")
    return out


def inline_socket_io(stats, keys):
    """The gateway with inline socket completions (gatewayinline) against plain YARP and the default gateway."""
    rows = [(s, c, stats[(s, c, "gatewayinline")]) for s, c in keys if (s, c, "gatewayinline") in stats]
    if not rows:
        return []
    out = ["", "## Inline socket I/O (the gateway with DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1, same run)", "",
           "| scenario | conns | CPU/req | CPU/req ÷ YARP | p99 ÷ YARP | CPU/req ÷ gateway | p99 ÷ gateway |", "|---|---:|---:|---:|---:|---:|---:|"]
    for scenario, conns, inline in rows:
        y = stats.get((scenario, conns, "yarp"), {})
        g = stats.get((scenario, conns, "gateway"), {})
        out.append(f"| {SCENARIOS[scenario]} | {conns} | {inline['proxy_cpu']:.1f} µs | {ratio(inline['proxy_cpu'], y.get('proxy_cpu'))} | "
                   f"{ratio(inline['p99'], y.get('p99'))} | {ratio(inline['proxy_cpu'], g.get('proxy_cpu'))} | {ratio(inline['p99'], g.get('p99'))} |")
    return out


def targets(stats, large):
    lines = ["| target | measured | met |", "|---|---|---|"]
    for (scenario, conns, target), g in sorted(stats.items()):
        y = stats.get((scenario, conns, "yarp"))
        if target in ("gateway", "gatewayh2c", "gatewayinline") and y:
            how = {"gateway": "", "gatewayh2c": ", the gateway's worker over HTTP/2", "gatewayinline": ", inline socket I/O"}[target]
            lines.append(f"| event-mode CPU/req ≤ {YARP_CPU_GOAL}× plain YARP ({SCENARIOS[scenario]}, c{conns}{how}) | {g['proxy_cpu']:.1f} vs "
                         f"{y['proxy_cpu']:.1f} µs ({ratio(g['proxy_cpu'], y['proxy_cpu'])}) | {'yes' if g['proxy_cpu'] <= YARP_CPU_GOAL * y['proxy_cpu'] else 'no'} |")
            lines.append(f"| p99 ≤ {YARP_P99_GOAL}× plain YARP ({SCENARIOS[scenario]}, c{conns}{how}) | {ms(g['p99'])} vs {ms(y['p99'])} "
                         f"({ratio(g['p99'], y['p99'])}) | {'yes' if g['p99'] <= YARP_P99_GOAL * y['p99'] else 'no'} |")
    for (scenario, conns, target), pull in sorted(stats.items()):
        push = stats.get((scenario, conns, "sdkpush"))
        if target == "sdkpull" and push:
            lines.append(f"| pull ≤ push, gateway + worker ({SCENARIOS[scenario]}, c{conns}) | {chain_total(pull):.1f} vs {chain_total(push):.1f} µs "
                         f"({ratio(chain_total(pull), chain_total(push))}) | {'yes' if chain_total(pull) <= chain_total(push) else 'no'} |")
    if large:
        body = int(large["body_bytes"])
        before, peak, after = (int(large[k]) * 1024 for k in ("rss_before_kb", "peak_kb", "rss_after_kb"))
        lines.append(f"| 32 MB body: peak growth ≤ 3× body | {(peak - before) / body:.2f}× | {'yes' if peak - before <= 3 * body else 'no'} |")
        lines.append(f"| 32 MB body: RSS returns to baseline (within 10 % of the body) | {(after - before) / 2**20:+.0f} MB | "
                     f"{'yes' if after - before <= 0.1 * body else 'no'} |")
        posts = per_post(large)
        if len(posts) > 1:
            drift = posts[-1][2] - posts[0][2]
            lines.append(f"| 32 MB body: no growth after the first POST (after last − after first, within 10 % of the body) | "
                         f"{drift / 2**20:+.0f} MB | {'yes' if drift <= 0.1 * body else 'no'} |")
    return lines


def per_post(large):
    """(before, peak, after) in bytes for each large POST, from the post<N>_kb lines of large.tsv."""
    posts, i = [], 1
    while f"post{i}_kb" in large:
        posts.append(tuple(int(v) * 1024 for v in large[f"post{i}_kb"].split()))
        i += 1
    return posts


def meta_notes(rundir):
    return [line[0] for line in read_tsv(f"{rundir}/notes.tsv")]


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "wrk":
        print("\t".join(map(str, parse_wrk(sys.stdin.read()))))
    elif len(sys.argv) == 3 and sys.argv[1] == "table":
        sys.stdout.write(table(sys.argv[2]))
    elif len(sys.argv) == 5 and sys.argv[1] == "soak":
        sys.stdout.write(soak(*sys.argv[2:]))
    else:
        sys.exit(__doc__)
