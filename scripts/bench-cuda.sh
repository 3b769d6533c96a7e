#!/usr/bin/env bash
# The local engine on an NVIDIA GPU: scripts/bench-engine.sh with a CUDA build, every layer offloaded, on
# random Q8_0 models of Llama 3.2 1B's and about Llama 3 8B's layer shapes, against llama-server from the
# same tree (the fallback engine has no GPU), with the GPUs' memory before, loaded and after the unload.
# See docs/BENCHMARKS.md.
#
# Usage: scripts/bench-cuda.sh     (every setting of bench-engine.sh applies; these are the defaults here)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v nvidia-smi > /dev/null || { echo "nvidia-smi not found: this measures an NVIDIA GPU" >&2; exit 1; }
export LMBRIDGE_NATIVE=${LMBRIDGE_NATIVE:-cuda}
export BENCH_SHAPES=${BENCH_SHAPES:-"2048x16 4096x32"} BENCH_GPU_LAYERS=${BENCH_GPU_LAYERS:--1}
export BENCH_THREADS=${BENCH_THREADS:-$(nproc)} BENCH_FALLBACK=${BENCH_FALLBACK:-0}
export BENCH_ROUNDS=${BENCH_ROUNDS:-5}
exec scripts/bench-engine.sh
