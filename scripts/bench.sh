#!/usr/bin/env bash
# Measures what the gateway adds to a Chat Completions call: every scenario is run against a mock
# upstream directly, through a bytes-only Vert.x proxy (the floor any HTTP hop costs here), through
# the gateway, and through a second gateway with its request log off, back to back, and the
# differences are tabulated. Then it measures the rows per second the request log sustains.
# Everything listens on and talks to 127.0.0.1 only. See docs/BENCHMARKS.md.
#
# Usage: scripts/bench.sh [--quick]
#   BENCH_SECONDS      measured seconds per run (default 10; 3 with --quick)
#   BENCH_WARMUP       unrecorded warmup seconds per run (default 5; 2 with --quick)
#   BENCH_CONCURRENCY  closed-loop concurrencies to run (default "1 16 64")
#   BENCH_MOCK_PORT, BENCH_GATEWAY_PORT, BENCH_PROXY_PORT, BENCH_NOLOG_PORT  ports to use
#                      (default 18091, 18090, 18092, 18093)
#   BENCH_LOG_ROWS     rows per request-log throughput run (default 200000; 50000 with --quick)
#   MAVEN_ARGS         extra Maven options for the build, e.g. -o to stay offline
set -euo pipefail

case "${1:-}" in
  --quick) : "${BENCH_SECONDS:=3}" "${BENCH_WARMUP:=2}" "${BENCH_LOG_ROWS:=50000}" ;;
  "") ;;
  *) echo "usage: $0 [--quick]" >&2; exit 2 ;;
esac

cd "$(dirname "$0")/.."
repo=$(pwd)
measure=${BENCH_SECONDS:-10}
warmup=${BENCH_WARMUP:-5}
concurrencies=${BENCH_CONCURRENCY:-1 16 64}
mock_port=${BENCH_MOCK_PORT:-18091}
gateway_port=${BENCH_GATEWAY_PORT:-18090}
proxy_port=${BENCH_PROXY_PORT:-18092}
nolog_port=${BENCH_NOLOG_PORT:-18093}
log_rows=${BENCH_LOG_ROWS:-200000}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
out=target/bench
results=$out/results.md
raw=$out/raw.txt

source scripts/bench-common.sh
trap stop_servers EXIT
trap 'exit 130' INT TERM

start_servers() {
  require_free_port "$mock_port"
  require_free_port "$gateway_port"
  require_free_port "$proxy_port"
  require_free_port "$nolog_port"

  start_mock

  # The floor: a Vert.x proxy that only forwards bytes, to tell a second HTTP hop from the gateway's work.
  "$java" -cp "$classpath" io.lmbridge.bench.PassthroughProxy "$proxy_port" "$mock_port" > "$out/proxy.log" 2>&1 &
  server_pids="$server_pids $!"
  wait_ready "PassthroughProxy" "$!" "http://127.0.0.1:$proxy_port/health" "$out/proxy.log"

  # The second gateway is the same with its request log turned off.
  gateway_dir=$(mktemp -d)
  echo '{}' > "$gateway_dir/gateway.json"
  echo '{"request_log": {"enabled": false}}' > "$gateway_dir/nolog.json"
  start_gateway "$gateway_port" gateway "$gateway_dir/gateway.json"
  start_gateway "$nolog_port" gateway-nolog "$gateway_dir/nolog.json"

  # Fresh JVMs interpret before they compile: unrecorded instant-upstream load in each mode through
  # the gateway (which warms the mock too), enough requests for the JIT to compile the request path.
  echo "warming up the gateway and the mock" >&2
  for mode in complete stream; do
    load "$gateway_port" openai:bench-delay-0 16 "$mode" > /dev/null
    load "$nolog_port" openai:bench-delay-0 16 "$mode" > /dev/null
    load "$proxy_port" bench-delay-0 16 "$mode" > /dev/null
  done
}

# Prints the LoadGenerator line for one run: TARGET_PORT MODEL CONCURRENCY stream|complete.
load() {
  "$java" -cp "$classpath" io.lmbridge.bench.LoadGenerator \
    "http://127.0.0.1:$1/v1/chat/completions" "$2" "$3" "$warmup" "$measure" "$4"
}

# One table row from four LoadGenerator lines: DELAY MODE CONCURRENCY DIRECT FLOOR GATEWAY NOLOG.
row() {
  awk -v delay="$1" -v mode="$2" -v c="$3" -v direct="$4" -v floor="$5" -v gateway="$6" -v nolog="$7" '
    function parse(line, into,   fields, kv, i) {
      split(line, fields, " ")
      for (i in fields) { split(fields[i], kv, "="); into[kv[1]] = kv[2] }
    }
    BEGIN {
      parse(direct, d); parse(floor, f); parse(gateway, g); parse(nolog, n)
      printf "| %s ms | %s | %s | %.2f / %.2f / %.0f | %.2f / %.2f / %.0f | %.2f / %.2f / %.0f | %+.2f / %+.2f | %+.2f / %+.2f | %+.2f / %+.2f | %.2f | %.2f | %.2f | %d / %d / %d / %d |\n",
        delay, (mode == "stream" ? "streaming" : "non-streaming"), c,
        d["p50_ms"], d["p99_ms"], d["rps"], f["p50_ms"], f["p99_ms"], f["rps"], g["p50_ms"], g["p99_ms"], g["rps"],
        g["p50_ms"] - d["p50_ms"], g["p99_ms"] - d["p99_ms"], n["p50_ms"] - d["p50_ms"], n["p99_ms"] - d["p99_ms"],
        f["p50_ms"] - d["p50_ms"], f["p99_ms"] - d["p99_ms"],
        (d["rps"] > 0 ? g["rps"] / d["rps"] : 0), (f["rps"] > 0 ? g["rps"] / f["rps"] : 0),
        (n["rps"] > 0 ? g["rps"] / n["rps"] : 0),
        d["errors"], f["errors"], g["errors"], n["errors"]
    }'
}

./mvnw -q -DskipTests package
# The shaded jar carries Vert.x, which is all the bench classes need next to themselves.
classpath="target/lmbridge.jar:target/test-classes"
mkdir -p "$out"
: > "$raw"

{
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC'), nproc $(nproc), $("$java" -version 2>&1 | head -1)," \
    "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown);" \
    "warmup ${warmup} s, measured ${measure} s per run."
  echo
  echo "| Upstream delay | Mode | Concurrency | Direct p50 / p99 (ms) / rps | Floor proxy p50 / p99 (ms) / rps" \
    "| Gateway p50 / p99 (ms) / rps | Gateway added p50 / p99 (ms) | Gateway, log off, added p50 / p99 (ms)" \
    "| Floor added p50 / p99 (ms) | rps gateway / direct | rps gateway / floor | rps gateway / log off" \
    "| Errors (direct / floor / gateway / log off) |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
} > "$results"

start_servers
for delay in 50 0; do
  for mode in complete stream; do
    for c in $concurrencies; do
      echo "upstream delay ${delay} ms, $mode, concurrency $c" >&2
      direct=$(load "$mock_port" "bench-delay-$delay" "$c" "$mode")
      floor=$(load "$proxy_port" "bench-delay-$delay" "$c" "$mode")
      gateway=$(load "$gateway_port" "openai:bench-delay-$delay" "$c" "$mode")
      nolog=$(load "$nolog_port" "openai:bench-delay-$delay" "$c" "$mode")
      printf 'delay=%s mode=%s concurrency=%s target=direct %s\n' "$delay" "$mode" "$c" "$direct" >> "$raw"
      printf 'delay=%s mode=%s concurrency=%s target=floor %s\n' "$delay" "$mode" "$c" "$floor" >> "$raw"
      printf 'delay=%s mode=%s concurrency=%s target=gateway %s\n' "$delay" "$mode" "$c" "$gateway" >> "$raw"
      printf 'delay=%s mode=%s concurrency=%s target=gateway-log-off %s\n' "$delay" "$mode" "$c" "$nolog" >> "$raw"
      row "$delay" "$mode" "$c" "$direct" "$floor" "$gateway" "$nolog" >> "$results"
    done
  done
done
stop_servers

# The request log alone: rows per second into a fresh SQLite file, without and with 1 KiB bodies.
{
  echo
  echo "| Request log rows per run | Body bytes (request, response) | Rows per second, median of 3 runs |"
  echo "|---:|---:|---:|"
  for body in 0 1024; do
    echo "request log throughput, ${body}-byte bodies" >&2
    median=$("$java" -cp "$classpath" io.lmbridge.bench.RequestLogThroughput "$log_rows" 3 "$body" \
      | tee -a "$raw" | awk -F= '/^median/ { print $2 }')
    echo "| $log_rows | $body | $median |"
  done
} >> "$results"

cat "$results"
echo >&2
echo "Table in $results, every LoadGenerator line in $raw." >&2
