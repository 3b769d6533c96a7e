#!/usr/bin/env bash
# The fallback engine: tokens per second and time to first token of a local GGUF model through the
# gateway on java-llama.cpp (HTTP, SSE, event bus, runner process) and driven directly through
# java-llama.cpp, with the same model,
# prompt, slots, threads and token count, at 1 and 4 concurrent streams. The paths take turns run by
# run in one benchmark JVM after the same warmup (src/test/java/io/lmbridge/bench/LocalTokensBench.java).
# Then one stream's rate after a burst, with the burst's slot caches kept and emptied
# (llama.slot_cache_idle_seconds). See docs/BENCHMARKS.md.
#
# Usage: scripts/bench-local.sh
#   BENCH_TOKENS   tokens per stream (default 1024)
#   BENCH_ROUNDS   recorded rounds per row, each one run of every path (default 9)
#   BENCH_IDLE_ROUNDS, BENCH_IDLE_SECONDS  rounds of the idle-slot measure (default 5), and the
#                  llama.slot_cache_idle_seconds the gateway's runners get for it (default 5)
#   BENCH_MODELS   GGUF files to measure (default: the endless TinyGguf the script writes, plus
#                  ../shared/models/stories260K.gguf when present)
#   BENCH_GATEWAY_PORT  port on 127.0.0.1 (default 18400)
#   MAVEN_ARGS     extra Maven options for the build, e.g. -o to stay offline
set -euo pipefail

cd "$(dirname "$0")/.."
repo=$(pwd)
tokens=${BENCH_TOKENS:-1024}
rounds=${BENCH_ROUNDS:-9}
idle_rounds=${BENCH_IDLE_ROUNDS:-5}
idle_seconds=${BENCH_IDLE_SECONDS:-5}
port=${BENCH_GATEWAY_PORT:-18400}
slots=4
context=$((tokens + 256))
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
out=target/bench-local
classpath="target/lmbridge.jar:target/test-classes"

source scripts/bench-common.sh
trap stop_servers EXIT
trap 'exit 130' INT TERM

require_free_port "$port"
./mvnw -q -DskipTests package
gateway_dir=$(mktemp -d)
mkdir -p "$out" "$gateway_dir/models" "$gateway_dir/llama-tmp"
# One measure (compare or idle) of MODEL over ROUNDS rounds, plus its own arguments: rows to the table.
bench_model() {
  local mode=$1 model=$2 rounds=$3 name
  shift 3
  name=$(model_name "$model")
  local_bench "$mode" "$name" "$gateway_dir/models/$(basename "$model")" "http://127.0.0.1:$port/v1/chat/completions" \
    "lmbridge:$name" "$tokens" "$rounds" "$slots" "$context" "$@" | grep '^|' >> "$out/results.md"
}

models=${BENCH_MODELS:-"$(local_bench write "$gateway_dir/models") $( [[ -f ../shared/models/stories260K.gguf ]] && echo ../shared/models/stories260K.gguf)"}
for model in $models; do
  [[ -f $gateway_dir/models/$(basename "$model") ]] || cp "$model" "$gateway_dir/models/"
done

# One thread and the same slots and context as the direct runs; cache off, log on as in production.
# Idle slots are kept while the paths are compared, as the direct paths keep theirs.
write_config() {
  cat > "$gateway_dir/gateway.json" <<JSON
{"llama": {"model_dir": "$gateway_dir/models", "engine": "java-llama.cpp", "threads": 1, "slots": $slots,
           "context_size": $context, "max_loaded": 4, "slot_cache_idle_seconds": $1}}
JSON
}
write_config 0
start_gateway "$port" gateway "$gateway_dir/gateway.json"

{
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC'), nproc $(nproc), $("$java" -version 2>&1 | head -1)," \
    "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown); $tokens tokens per stream, $rounds rounds" \
    "after a warmup, $slots slots, 1 thread."
  echo
  local_bench header
} > "$out/results.md"
: > "$out/raw.txt"

for model in $models; do
  name=$(model_name "$model")
  local_models "$port" load "{\"model\": \"$name\"}" > /dev/null
  echo "$name" >&2
  bench_model compare "$model" "$rounds"
done

# The running config is reloaded within a second; a model takes its settings when it loads.
write_config "$idle_seconds"
sleep 2
{
  echo
  echo "One stream after a burst on all $slots slots, $idle_rounds rounds; the gateway's runners empty slots" \
    "unused for $idle_seconds s."
  echo
  local_bench idle-header
} >> "$out/results.md"
for model in $models; do
  name=$(model_name "$model")
  local_models "$port" unload "{\"model\": \"$name\"}" > /dev/null
  local_models "$port" load "{\"model\": \"$name\"}" > /dev/null
  echo "$name, idle slots" >&2
  bench_model idle "$model" "$idle_rounds" "$idle_seconds"
done
stop_servers
cat "$out/results.md"
echo "Table in $out/results.md, every run in $out/raw.txt." >&2
