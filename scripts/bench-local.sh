#!/usr/bin/env bash
# Tokens per second and time to first token of a local GGUF model: the same model, prompt, slots,
# threads and token count driven directly through java-llama.cpp in one JVM (each stream reading on
# its own, then taking turns as a runner's streams do), then through the gateway (HTTP, SSE, event
# bus, runner process), at 1 and 4 concurrent streams. See docs/BENCHMARKS.md.
#
# Usage: scripts/bench-local.sh
#   BENCH_TOKENS   tokens per stream (default 1024)
#   BENCH_RUNS     recorded runs per row, after one warmup (default 5)
#   BENCH_MODELS   GGUF files to measure (default: the endless TinyGguf the script writes, plus
#                  ../shared/models/stories260K.gguf when present)
#   BENCH_GATEWAY_PORT  port on 127.0.0.1 (default 18400)
#   MAVEN_ARGS     extra Maven options for the build, e.g. -o to stay offline
set -euo pipefail

cd "$(dirname "$0")/.."
repo=$(pwd)
tokens=${BENCH_TOKENS:-1024}
runs=${BENCH_RUNS:-5}
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
bench() {
  "$java" -Dde.kherud.llama.tmpdir="$work/tmp" -cp "$classpath" io.lmbridge.bench.LocalTokensBench "$@" 2>/dev/null
}

models=${BENCH_MODELS:-"$(bench write "$work/models") $( [[ -f ../shared/models/stories260K.gguf ]] && echo ../shared/models/stories260K.gguf)"}
for model in $models; do
  [[ -f $work/models/$(basename "$model") ]] || cp "$model" "$work/models/"
done

# One thread and the same slots and context as the direct runs; cache off, log on as in production.
cat > "$work/gateway.json" <<JSON
{"server": {"host": "127.0.0.1", "port": $port}, "cache": {"enabled": false},
 "sqlite_db_path": "$work/log.sqlite",
 "llama": {"model_dir": "$work/models", "threads": 1, "slots": $slots, "context_size": $context, "max_loaded": 4}}
JSON
(cd "$work" && exec env -i PATH="$PATH" HOME="$HOME" LOG_LEVEL=warn \
  "$java" -jar "$repo/target/lmbridge.jar" --config "$work/gateway.json") > "$out/gateway.log" 2>&1 &
gateway_pid=$!
for _ in $(seq 100); do
  [[ $(curl --noproxy '*' -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health") == 200 ]] && break
  sleep 0.2
done

{
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC'), nproc $(nproc), $("$java" -version 2>&1 | head -1)," \
    "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown); $tokens tokens per stream, $runs runs" \
    "after a warmup, $slots slots, 1 thread."
  echo
  echo "| Model | Streams | Direct tokens/s | Direct, turns, tokens/s | Gateway tokens/s | Gateway / direct | Gateway / direct, turns" \
    "| Direct first token p50 (ms) | Direct, turns, first token p50 (ms) | Gateway first token p50 (ms) |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
} > "$out/results.md"
: > "$out/raw.txt"

for model in $models; do
  name=$(basename "$model" .gguf | tr '[:upper:]' '[:lower:]')
  file="$work/models/$(basename "$model")"
  curl --noproxy '*' -s -o /dev/null -X POST "http://127.0.0.1:$port/v1/llama/models/load" \
    -H 'Content-Type: application/json' -d "{\"model\": \"$name\"}"
  # The gateway and the runner are fresh JVMs: unrecorded streams first, so the JIT has compiled their path.
  bench gateway "http://127.0.0.1:$port/v1/chat/completions" "lmbridge:$name" 4 "$tokens" 2 > /dev/null
  for streams in 1 4; do
    echo "$name, $streams streams" >&2
    direct=$(bench direct "$file" "$streams" "$tokens" "$runs" "$slots" "$context" | tee -a "$out/raw.txt" | grep '^median')
    turns=$(bench direct "$file" "$streams" "$tokens" "$runs" "$slots" "$context" turns | tee -a "$out/raw.txt" \
      | grep '^median')
    gateway=$(bench gateway "http://127.0.0.1:$port/v1/chat/completions" "lmbridge:$name" "$streams" "$tokens" "$runs" \
      | tee -a "$out/raw.txt" | grep '^median')
    awk -v model="$name" -v streams="$streams" -v direct="$direct" -v turns="$turns" -v gateway="$gateway" '
      function parse(line, into,   fields, kv, i) {
        split(line, fields, " ")
        for (i in fields) { split(fields[i], kv, "="); into[kv[1]] = kv[2] }
      }
      BEGIN {
        parse(direct, d); parse(turns, t); parse(gateway, g)
        printf "| %s | %s | %.0f | %.0f | %.0f | %.2f | %.2f | %.2f | %.2f | %.2f |\n", model, streams,
          d["tokens_per_s"], t["tokens_per_s"], g["tokens_per_s"],
          g["tokens_per_s"] / d["tokens_per_s"], g["tokens_per_s"] / t["tokens_per_s"],
          d["first_token_ms_p50"], t["first_token_ms_p50"], g["first_token_ms_p50"]
      }' >> "$out/results.md"
  done
done
stop_gateway
cat "$out/results.md"
echo "Table in $out/results.md, every run in $out/raw.txt." >&2
