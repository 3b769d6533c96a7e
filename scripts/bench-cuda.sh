#!/usr/bin/env bash
# Local inference on an NVIDIA GPU with the CUDA build of libjllama.so that native/build-cuda.sh makes.
# The model is a random-weight llama with Llama 3.2 1B's layers in Q8_0 (LocalTokensBench write), so
# that decoding reads as much memory per token as a real model of that size. Recorded:
# - the load on the GPU: its time, the runner's resident and GPU memory, and the devices' memory, from
#   the gateway's own answers (/v1/service/status, /v1/llama/models/load and unload);
# - tokens/s and first token through the gateway and directly through java-llama.cpp, both on the
#   GPU, at 1 and 4 streams (LocalTokensBench compare, as in bench-local.sh);
# - one stream through the gateway with the model on the GPU and on the CPU (gpu_layers -1 and 0);
# - the unload, and the devices' memory after it.
# See docs/BENCHMARKS.md.
#
# Usage: scripts/bench-cuda.sh    (after native/build-cuda.sh)
#   BENCH_SHAPE         the model, WIDTHxLAYERS (default 2048x16)
#   BENCH_TOKENS, BENCH_ROUNDS  tokens per stream and rounds of the comparison (default 256, 5)
#   BENCH_WARMUP_SECONDS  least warmup before the comparison (default 20)
#   BENCH_CPU_TOKENS, BENCH_CPU_ROUNDS  tokens and rounds of the GPU-against-CPU runs (default 64, 3)
#   BENCH_THREADS       llama.cpp threads (default: every core)
#   BENCH_GATEWAY_PORT  port on 127.0.0.1 (default 18500)
#   BENCH_BUILD=0       use target/lmbridge.jar and target/test-classes as built (no Maven on the machine)
set -euo pipefail

cd "$(dirname "$0")/.."
repo=$(pwd)
shape=${BENCH_SHAPE:-2048x16}
tokens=${BENCH_TOKENS:-256}
rounds=${BENCH_ROUNDS:-5}
warmup=${BENCH_WARMUP_SECONDS:-20}
cpu_tokens=${BENCH_CPU_TOKENS:-64}
cpu_rounds=${BENCH_CPU_ROUNDS:-3}
threads=${BENCH_THREADS:-$(nproc)}
port=${BENCH_GATEWAY_PORT:-18500}
slots=4
context=$((tokens + 256))
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
out=target/bench-cuda
classpath="target/lmbridge.jar:target/test-classes"
case "$(uname -m)" in
  aarch64 | arm64) library_dir=$repo/native/linux-aarch64 ;;
  *) library_dir=$repo/native/linux-x86_64 ;;
esac

[[ -f $library_dir/libjllama.so ]] || { echo "no $library_dir/libjllama.so: run native/build-cuda.sh" >&2; exit 1; }
command -v nvidia-smi > /dev/null || { echo "nvidia-smi not found: this measures an NVIDIA GPU" >&2; exit 1; }

source scripts/bench-common.sh
trap stop_servers EXIT
trap 'exit 130' INT TERM

require_free_port "$port"
[[ ${BENCH_BUILD:-1} == 0 ]] || ./mvnw -q -DskipTests package
gateway_dir=$(mktemp -d)
mkdir -p "$out" "$gateway_dir/models" "$gateway_dir/llama-tmp"
: > "$out/raw.txt"
# The direct paths load the same library, with the same offload and threads as the runner.
bench_jvm_options=(-Dde.kherud.llama.lib.path="$library_dir" -Dbench.gpu_layers=-1 -Dbench.threads="$threads"
  -Dbench.warmup_seconds="$warmup")

model=$(local_bench write "$gateway_dir/models" "$shape")
name=$(model_name "$model")
cat > "$gateway_dir/gateway.json" <<JSON
{"llama": {"model_dir": "$gateway_dir/models", "threads": $threads, "slots": $slots, "context_size": $context,
           "max_loaded": 1, "gpu_layers": -1,
           "runner_jvm_options": ["-Xmx256m", "-XX:+UseSerialGC", "-Dde.kherud.llama.lib.path=$library_dir"]}}
JSON
start_gateway "$port" gateway "$gateway_dir/gateway.json"

# The first number after "FIELD": in a JSON answer; MiB, for fields in bytes.
number() {
  grep -o "\"$2\":[0-9]*" "$1" | head -1 | cut -d: -f2
}
mib() {
  local bytes
  bytes=$(number "$1" "$2")
  [[ -n $bytes ]] && echo $((bytes / 1048576)) || echo "n/a"
}
# One row of the memory table: STEP, SECONDS, and the gateway's answer in FILE.
memory_row() {
  echo "| $1 | $2 | $(mib "$3" memory_bytes) | $(mib "$3" gpu_memory_bytes) | $(mib "$3" memory_used_bytes) |"
}
# Prints the seconds a load or unload took; its answer goes to FILE.
timed_models() {
  local action=$1 body=$2 answer=$3 start
  start=$(date +%s%N)
  local_models "$port" "$action" "$body" > "$answer" || { cat "$answer" >&2; return 1; }
  awk -v ns=$(($(date +%s%N) - start)) 'BEGIN { printf "%.1f", ns / 1e9 }'
}
model_key="lmbridge:$name"
url="http://127.0.0.1:$port/v1/chat/completions"

curl --noproxy '*' -sS "http://127.0.0.1:$port/v1/service/status" > "$out/status-before.json"
gpu_seconds=$(timed_models load "{\"model\": \"$name\", \"gpu_layers\": -1}" "$out/load-gpu.json")
{
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC'): $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader)," \
    "nproc $(nproc), $("$java" -version 2>&1 | head -1)," \
    "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)."
  echo "Model $name: $(du -m "$model" | cut -f1) MiB of Q8_0; $slots slots, $threads threads."
  echo
  echo "| Step | Seconds | Runner resident (MiB) | Runner on the GPU (MiB) | GPU memory used (MiB) |"
  echo "|---|---:|---:|---:|---:|"
  memory_row "before loading" "" "$out/status-before.json"
  memory_row "loaded, gpu_layers -1" "$gpu_seconds" "$out/load-gpu.json"
} > "$out/results.md"

{
  echo
  echo "On the GPU: $tokens tokens per stream, $rounds rounds after at least $warmup s of warmup."
  echo
  local_bench header
} >> "$out/results.md"
local_bench compare "$name" "$model" "$url" "$model_key" "$tokens" "$rounds" "$slots" "$context" \
  | grep '^|' >> "$out/results.md"

{
  echo
  echo "Through the gateway, one stream of $cpu_tokens tokens, $cpu_rounds rounds, on the GPU then on the CPU."
  echo
  local_bench rate-header
} >> "$out/results.md"
local_bench rate "$name, GPU" "$url" "$model_key" "$cpu_tokens" "$cpu_rounds" 1 | grep '^|' >> "$out/results.md"
cpu_seconds=$(timed_models load "{\"model\": \"$name\", \"gpu_layers\": 0}" "$out/load-cpu.json")
local_bench rate "$name, CPU" "$url" "$model_key" "$cpu_tokens" "$cpu_rounds" 1 | grep '^|' >> "$out/results.md"
# Back on the GPU, so that the unload shows its memory coming back.
timed_models load "{\"model\": \"$name\", \"gpu_layers\": -1}" "$out/reload-gpu.json" > /dev/null
unload_seconds=$(timed_models unload "{\"model\": \"$name\"}" "$out/unload.json")
{
  echo
  echo "| Step | Seconds | Runner resident (MiB) | Runner on the GPU (MiB) | GPU memory used (MiB) |"
  echo "|---|---:|---:|---:|---:|"
  memory_row "reloaded, gpu_layers 0" "$cpu_seconds" "$out/load-cpu.json"
  memory_row "reloaded, gpu_layers -1" "" "$out/reload-gpu.json"
  memory_row "unloaded" "$unload_seconds" "$out/unload.json"
} >> "$out/results.md"
stop_servers
cat "$out/results.md"
echo "Tables in $out/results.md, every run in $out/raw.txt, the gateway's answers in $out/*.json." >&2
