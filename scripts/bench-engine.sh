#!/usr/bin/env bash
# Tokens per second and time to first token of a local GGUF model through the gateway on its
# llama.cpp engine, against llama.cpp's own llama-server binary built from the same tree (same model,
# prompt, slots, threads, context and token count), and the gateway on java-llama.cpp 4.2.0, the
# fallback engine, where it loads the model. 1 and 4 concurrent streams; the servers take turns run by
# run in one benchmark JVM after the same warmup (LocalTokensBench servers). Then each model's memory:
# the runner's resident and GPU memory once loaded, and the GPUs' memory before the load and after the
# unload, from the gateway's own answers. See docs/BENCHMARKS.md; scripts/bench-cuda.sh runs it on a GPU.
#
# Usage: scripts/bench-engine.sh
#   BENCH_TOKENS   tokens per stream (default 256)
#   BENCH_ROUNDS   recorded rounds per row, each one run of every server (default 9)
#   BENCH_WARMUP_SECONDS  least warmup of every server before each model's rows (default 60)
#   BENCH_THREADS  CPU threads per model (default 1); BENCH_GPU_LAYERS offload on a CUDA build (unset)
#   BENCH_MODELS   GGUF files to measure (default: the endless TinyGguf, a 512x8 one, and
#                  ../shared/models/stories260K.gguf when present)
#   BENCH_SHAPES   only random Q8_0 models of these TinyGguf shapes instead (e.g. "2048x16 4096x32",
#                  Llama 3.2 1B's and about Llama 3 8B's layers)
#   BENCH_FALLBACK whether to include the gateway on java-llama.cpp (default 1; 0 for models of
#                  architectures it does not load)
#   BENCH_PORT     first of three ports on 127.0.0.1 (default 18400)
#   MAVEN_ARGS     extra Maven options for the build, e.g. -o to stay offline
set -euo pipefail

cd "$(dirname "$0")/.."
repo=$(pwd)
tokens=${BENCH_TOKENS:-256}
rounds=${BENCH_ROUNDS:-9}
threads=${BENCH_THREADS:-1}
fallback=${BENCH_FALLBACK:-1}
port=${BENCH_PORT:-18400}
server_port=$((port + 2))
slots=4
context=$((tokens + 256))
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
out=target/bench-engine
classpath="target/lmbridge.jar:target/test-classes"

bench_jvm_options=(-Dbench.warmup_seconds="${BENCH_WARMUP_SECONDS:-60}")

source scripts/bench-common.sh
trap stop_servers EXIT
trap 'exit 130' INT TERM

for p in "$port" $((port + 1)) "$server_port"; do
  require_free_port "$p"
done
./mvnw -q ${MAVEN_ARGS:-} -DskipTests package
llama_server=$(bash native/build.sh --server | tail -n 1)
[[ -x $llama_server ]] || { echo "no llama-server binary: the native build skipped" >&2; exit 1; }
gateway_dir=$(mktemp -d)
mkdir -p "$out" "$gateway_dir/models" "$gateway_dir/llama-tmp"
: > "$out/raw.txt"

if [[ -n ${BENCH_MODELS:-} ]]; then
  models=$BENCH_MODELS
elif [[ -n ${BENCH_SHAPES:-} ]]; then
  models=
  for shape in $BENCH_SHAPES; do
    models="$models $(local_bench write "$gateway_dir/models" "$shape")"
  done
else
  models="$(local_bench write "$gateway_dir/models") $(local_bench write "$gateway_dir/models" 512x8)"
  [[ -f ../shared/models/stories260K.gguf ]] && models="$models ../shared/models/stories260K.gguf"
fi
for model in $models; do
  [[ -f $gateway_dir/models/$(basename "$model") ]] || cp "$model" "$gateway_dir/models/"
done

gpu_layers=${BENCH_GPU_LAYERS:+, \"gpu_layers\": $BENCH_GPU_LAYERS}
for engine in llama.cpp java-llama.cpp; do
  cat > "$gateway_dir/$engine.json" <<JSON
{"llama": {"model_dir": "$gateway_dir/models", "engine": "$engine", "threads": $threads, "slots": $slots,
           "context_size": $context, "max_loaded": 4 $gpu_layers}}
JSON
done
start_gateway "$port" gateway "$gateway_dir/llama.cpp.json"
if [[ $fallback == 1 ]]; then
  start_gateway $((port + 1)) gateway-java-llama "$gateway_dir/java-llama.cpp.json"
fi

# The first number after "FIELD": in a JSON answer, in MiB; n/a where the answer has none (no GPU).
mib() {
  local bytes
  bytes=$(grep -o "\"$2\":[0-9]*" "$1" | head -1 | cut -d: -f2)
  [[ -n $bytes ]] && echo $((bytes / 1048576)) || echo "n/a"
}
# Loads or unloads NAME on the gateway, its answer in FILE; prints the seconds it took.
timed_models() {
  local action=$1 name=$2 answer=$3 start
  start=$(date +%s%N)
  local_models "$port" "$action" "{\"model\": \"$name\"}" > "$answer"
  awk -v ns=$(($(date +%s%N) - start)) 'BEGIN { printf "%.1f", ns / 1e9 }'
}
memory="| Model | MiB | Load (s) | Runner resident (MiB) | Runner on the GPU (MiB) | GPU used before (MiB) |"
memory="$memory GPU used loaded (MiB) | Unload (s) | GPU used after (MiB) |"$'\n'"|---|---:|---:|---:|---:|---:|---:|---:|---:|"

servers=(llama-server gateway)
[[ $fallback == 1 ]] && servers+=(gateway-java-llama)
{
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC'), nproc $(nproc), $("$java" -version 2>&1 | head -1)," \
    "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $("$llama_server" --version 2>&1 | grep -m1 version);" \
    "$tokens tokens per stream, $rounds rounds after a warmup, $slots slots, $threads thread(s)."
  echo
  local_bench servers-header "${servers[@]}"
} > "$out/results.md"

for model in $models; do
  name=$(model_name "$model")
  file=$gateway_dir/models/$(basename "$model")
  echo "$name" >&2
  # llama-server as a runner starts it: the whole context for every slot, the same threads and offload.
  "$llama_server" --model "$file" --ctx-size $((context * slots)) --parallel "$slots" --threads "$threads" \
    ${BENCH_GPU_LAYERS:+--gpu-layers "$BENCH_GPU_LAYERS"} --host 127.0.0.1 --port "$server_port" \
    > "$out/llama-server-$name.log" 2>&1 &
  server_pid=$!
  server_pids="$server_pids $server_pid"
  wait_ready "llama-server" "$server_pid" "http://127.0.0.1:$server_port/health" "$out/llama-server-$name.log"
  targets=("llama-server=http://127.0.0.1:$server_port/v1/chat/completions,$name"
    "gateway=http://127.0.0.1:$port/v1/chat/completions,lmbridge:$name")
  curl --noproxy '*' -sS "http://127.0.0.1:$port/v1/service/status" > "$out/$name-before.json"
  load_seconds=$(timed_models load "$name" "$out/$name-load.json")
  if [[ $fallback == 1 ]]; then
    local_models $((port + 1)) load "{\"model\": \"$name\"}" > /dev/null
    targets+=("gateway-java-llama=http://127.0.0.1:$((port + 1))/v1/chat/completions,lmbridge:$name")
  fi
  local_bench servers "$name" "$tokens" "$rounds" "${targets[@]}" | grep '^|' >> "$out/results.md"
  kill "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  unload_seconds=$(timed_models unload "$name" "$out/$name-unload.json")
  memory="$memory"$'\n'"| $name | $(du -m "$file" | cut -f1) | $load_seconds | $(mib "$out/$name-load.json" memory_bytes)"
  memory="$memory | $(mib "$out/$name-load.json" gpu_memory_bytes) | $(mib "$out/$name-before.json" memory_used_bytes)"
  memory="$memory | $(mib "$out/$name-load.json" memory_used_bytes) | $unload_seconds"
  memory="$memory | $(mib "$out/$name-unload.json" memory_used_bytes) |"
  if [[ $fallback == 1 ]]; then
    local_models $((port + 1)) unload "{\"model\": \"$name\"}" > /dev/null
  fi
done

{
  echo
  echo "$memory"
} >> "$out/results.md"
cat "$out/results.md"
echo "Every run: $out/raw.txt; the gateway's answers: $out/*.json"
