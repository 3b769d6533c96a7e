#!/usr/bin/env bash
# Builds libjllama.so with CUDA from java-llama.cpp's sources at the commit its 4.2.0 jar was built
# from, so the library matches the jar's JNI signatures and llama.cpp build (b4916), and copies it to
# native/linux-<arch>/. The 4.2.0 jar ships CPU libraries only; its cuda12 classifier jar is empty.
#
# Needs the CUDA toolkit, and network access (it clones java-llama.cpp, and CMake fetches llama.cpp
# b4916 and nlohmann/json) unless their sources are given (native/README.md). Extra arguments go to
# CMake, for example:
#   native/build-cuda.sh -DCMAKE_CUDA_ARCHITECTURES=89
set -euo pipefail

REPO=https://github.com/kherud/java-llama.cpp.git
TAG=v4.2.0
COMMIT=330ccc1a6c20a8841857fba95fab4d74e3d24ab9

here=$(cd "$(dirname "$0")" && pwd)
work=${JLLAMA_BUILD_DIR:-$here/build/java-llama.cpp-$TAG}

fail() {
  echo "build-cuda.sh: $*" >&2
  exit 1
}

[ "$(uname -s)" = Linux ] || fail "Linux only (this builds libjllama.so)"
case "$(uname -m)" in
  x86_64 | amd64) arch=x86_64 ;;
  aarch64 | arm64) arch=aarch64 ;;
  *) fail "unsupported CPU architecture $(uname -m)" ;;
esac
for tool in git cmake c++; do
  command -v "$tool" >/dev/null || fail "$tool not found on PATH"
done
nvcc=${CUDACXX:-$(command -v nvcc || true)}
[ -n "$nvcc" ] && [ -x "$nvcc" ] || fail "nvcc not found: install the CUDA toolkit, or set CUDACXX to its nvcc"
export CUDACXX=$nvcc

if [ ! -d "$work/.git" ]; then
  git clone --depth 1 --branch "$TAG" "$REPO" "$work"
fi
[ "$(git -C "$work" rev-parse HEAD)" = "$COMMIT" ] || fail "$work is not at $TAG ($COMMIT)"

# OS_NAME and OS_ARCH are given so CMake does not need a Maven build of the Java side to find them;
# the JNI headers come with the sources (.github/include/unix).
cmake -S "$work" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DGGML_CUDA=ON \
  -DOS_NAME=Linux -DOS_ARCH="$arch" "$@"
cmake --build "$work/build" --config Release -j "$(nproc)"

built=$work/src/main/resources_linux_cuda/de/kherud/llama/Linux/$arch/libjllama.so
[ -f "$built" ] || fail "the build did not produce $built"
target=$here/linux-$arch
mkdir -p "$target"
cp "$built" "$target/"
echo "Built $target/libjllama.so"
echo "Start the runner JVMs with -Dde.kherud.llama.lib.path=$target"
