#!/usr/bin/env bash
# Measures realtime sessions through the gateway: BENCH_SESSIONS WebSockets to /v1/realtime open at
# once, each asking for BENCH_RESPONSES responses in turn from a mock upstream that streams after a
# BENCH_DELAY ms delay, and prints how many completed whole, the error events, and the time to the
# first text delta and to response.done. Everything listens on and talks to 127.0.0.1 only.
# See docs/BENCHMARKS.md.
#
# Usage: scripts/bench-realtime.sh
#   BENCH_SESSIONS     sessions open at once (default 200)
#   BENCH_RESPONSES    responses per session, one after another (default 10)
#   BENCH_DELAY        the mock upstream's delay in ms before each answer (default 50)
#   BENCH_MOCK_PORT, BENCH_GATEWAY_PORT  ports to use (default 18091, 18090)
#   MAVEN_ARGS         extra Maven options for the build, e.g. -o to stay offline
set -euo pipefail

[[ $# -eq 0 ]] || { echo "usage: $0 (settings come from BENCH_* variables)" >&2; exit 2; }

cd "$(dirname "$0")/.."
repo=$(pwd)
sessions=${BENCH_SESSIONS:-200}
responses=${BENCH_RESPONSES:-10}
delay=${BENCH_DELAY:-50}
mock_port=${BENCH_MOCK_PORT:-18091}
gateway_port=${BENCH_GATEWAY_PORT:-18090}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
out=target/bench-realtime
results=$out/results.txt

source scripts/bench-common.sh
trap stop_servers EXIT
trap 'exit 130' INT TERM

# Prints the RealtimeLoad line for one run: MODEL SESSIONS RESPONSES.
realtime_load() {
  "$java" -cp "$classpath" io.lmbridge.bench.RealtimeLoad "ws://127.0.0.1:$gateway_port/v1/realtime" "$@"
}

./mvnw -q -DskipTests package
# The shaded jar carries Vert.x, which is all the bench classes need next to themselves.
classpath="target/lmbridge.jar:target/test-classes"
mkdir -p "$out"

require_free_port "$mock_port"
require_free_port "$gateway_port"
start_mock
gateway_dir=$(mktemp -d)
echo '{}' > "$gateway_dir/gateway.json"
start_gateway "$gateway_port" gateway "$gateway_dir/gateway.json"

# Fresh JVMs interpret before they compile: unrecorded instant-upstream sessions first, enough
# responses for the JIT to compile the realtime path.
echo "warming up the gateway and the mock" >&2
realtime_load openai:bench-delay-0 50 40 > /dev/null

echo "$sessions sessions, $responses responses each, upstream delay $delay ms" >&2
line=$(realtime_load "openai:bench-delay-$delay" "$sessions" "$responses")
{
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC'), nproc $(nproc), $("$java" -version 2>&1 | head -1)," \
    "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), upstream delay $delay ms:"
  echo "$line"
} | tee "$results"
echo "Also in $results; the mock and gateway logs are in $out/." >&2
