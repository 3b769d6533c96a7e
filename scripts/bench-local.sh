#!/usr/bin/env bash
# Tokens per second and time to first token of a local GGUF model through the gateway (HTTP, SSE,
# event bus, runner process) and driven directly through java-llama.cpp, with the same model,
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
work=$(mktemp -d)
gateway_pid=

stop_gateway() {
  if [[ -n $gateway_pid ]]; then
    kill "$gateway_pid" 2>/dev/null || true
    wait "$gateway_pid" 2>/dev/null || true
  fi
  gateway_pid=
}
cleanup() {
  stop_gateway
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

./mvnw -q -DskipTests package
classpath="target/lmbridge.jar:target/test-classes"
mkdir -p "$out" "$work/models" "$work/tmp"
# What the benchmark JVM says besides its output goes to the raw log.
bench() {
  "$java" -Dde.kherud.llama.tmpdir="$work/tmp" -cp "$classpath" io.lmbridge.bench.LocalTokensBench "$@" 2>> "$out/raw.txt"
}
model_name() {
  basename "$1" .gguf | tr '[:upper:]' '[:lower:]'
}
# One measure (compare or idle) of MODEL over ROUNDS rounds, plus its own arguments: rows to the table.
bench_model() {
  local mode=$1 model=$2 rounds=$3 name
  shift 3
  name=$(model_name "$model")
  bench "$mode" "$name" "$work/models/$(basename "$model")" "http://127.0.0.1:$port/v1/chat/completions" \
    "lmbridge:$name" "$tokens" "$rounds" "$slots" "$context" "$@" | grep '^|' >> "$out/results.md"
}

models=${BENCH_MODELS:-"$(bench write "$work/models") $( [[ -f ../shared/models/stories260K.gguf ]] && echo ../shared/models/stories260K.gguf)"}
for model in $models; do
  [[ -f $work/models/$(basename "$model") ]] || cp "$model" "$work/models/"
done

# One thread and the same slots and context as the direct runs; cache off, log on as in production.
# Idle slots are kept while the paths are compared, as the direct paths keep theirs.
write_config() {
  cat > "$work/gateway.json" <<JSON
{"server": {"host": "127.0.0.1", "port": $port}, "cache": {"enabled": false},
 "sqlite_db_path": "$work/log.sqlite",
 "llama": {"model_dir": "$work/models", "threads": 1, "slots": $slots, "context_size": $context, "max_loaded": 4,
           "slot_cache_idle_seconds": $1}}
JSON
}
load_model() {
  curl --noproxy '*' -s -o /dev/null -X POST "http://127.0.0.1:$port/v1/llama/models/$1" \
    -H 'Content-Type: application/json' -d "{\"model\": \"$2\"}"
}
write_config 0
(cd "$work" && exec env -i PATH="$PATH" HOME="$HOME" LOG_LEVEL=warn \
  "$java" -jar "$repo/target/lmbridge.jar" --config "$work/gateway.json") > "$out/gateway.log" 2>&1 &
gateway_pid=$!
for _ in $(seq 100); do
  [[ $(curl --noproxy '*' -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health") == 200 ]] && break
  sleep 0.2
done

{
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC'), nproc $(nproc), $("$java" -version 2>&1 | head -1)," \
    "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown); $tokens tokens per stream, $rounds rounds" \
    "after a warmup, $slots slots, 1 thread."
  echo
  bench header
} > "$out/results.md"
: > "$out/raw.txt"

for model in $models; do
  name=$(model_name "$model")
  load_model load "$name"
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
  bench idle-header
} >> "$out/results.md"
for model in $models; do
  name=$(model_name "$model")
  load_model unload "$name"
  load_model load "$name"
  echo "$name, idle slots" >&2
  bench_model idle "$model" "$idle_rounds" "$idle_seconds"
done
stop_gateway
cat "$out/results.md"
echo "Table in $out/results.md, every run in $out/raw.txt." >&2
