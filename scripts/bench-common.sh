# Sourced by the bench scripts, run from the repository root. What they share: a check that a port
# is free, a wait until a server answers, starting a gateway (against the mock when there is one),
# stopping every server started, and the local-model benchmark's JVM and calls. A script sets java,
# repo, out, classpath, gateway_dir and, with a mock, mock_port, and adds the pid of each server it
# starts to server_pids.

server_pids=
gateway_dir=

stop_servers() {
  local pid
  # The newest first, so the gateway goes before the mock it talks to.
  for pid in $(printf '%s\n' $server_pids | tac); do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [[ -n $gateway_dir ]]; then
    rm -rf "$gateway_dir"
  fi
  server_pids= gateway_dir=
}

# Any HTTP answer at all means something else already holds the port, and would fool wait_ready.
require_free_port() {
  if curl --noproxy '*' -s -o /dev/null "http://127.0.0.1:$1/"; then
    echo "port $1 is already in use; set BENCH_MOCK_PORT / BENCH_GATEWAY_PORT" >&2
    exit 1
  fi
}

# Polls until URL answers 200; a process that died on startup (bad port, bad config) fails fast.
wait_ready() {
  local name=$1 pid=$2 url=$3 log=$4
  for _ in $(seq 100); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$name exited during startup; see $log" >&2
      exit 1
    fi
    [[ $(curl --noproxy '*' -s -o /dev/null -w '%{http_code}' "$url") == 200 ]] && return
    sleep 0.2
  done
  echo "$name was not ready after 20 s; see $log" >&2
  exit 1
}

# Starts a gateway in the background on PORT, its output in $out/NAME.log, with config file CONFIG
# (in $gateway_dir, a scratch directory made by the caller), and waits until it is ready.
# The scratch working directory means no conf/ is read, and the scrubbed environment that a
# developer's real keys and settings never reach it; only the library path stays, for GPU libraries.
# With a mock, every built-in provider points at it. The response cache is off: each request must
# travel to the upstream or the model.
start_gateway() {
  local port=$1 name=$2 config=$3 upstream=()
  if [[ -n ${mock_port:-} ]]; then
    upstream=(OPENAI_API_KEY=bench XAI_API_KEY=bench OPENAI_BASE_URL="http://127.0.0.1:$mock_port/v1"
      XAI_BASE_URL="http://127.0.0.1:$mock_port/v1")
  fi
  (cd "$gateway_dir" && exec env -i PATH="$PATH" HOME="$HOME" ${LD_LIBRARY_PATH:+LD_LIBRARY_PATH="$LD_LIBRARY_PATH"} \
    GATEWAY_HOST=127.0.0.1 GATEWAY_PORT="$port" LOG_LEVEL=warn CACHE_ENABLED=false \
    SQLITE_DB_PATH="$gateway_dir/$name.sqlite" ${upstream[@]+"${upstream[@]}"} \
    "$java" ${GATEWAY_JAVA_OPTS:-} -jar "$repo/target/lmbridge.jar" --config "$config") > "$out/$name.log" 2>&1 &
  server_pids="$server_pids $!"
  wait_ready "Gateway ($name)" "$!" "http://127.0.0.1:$port/health" "$out/$name.log"
}

# Starts the mock upstream on $mock_port, its output in $out/mock.log, and waits until it is ready.
start_mock() {
  "$java" -cp "$classpath" io.lmbridge.bench.MockUpstream "$mock_port" > "$out/mock.log" 2>&1 &
  server_pids="$server_pids $!"
  wait_ready "MockUpstream" "$!" "http://127.0.0.1:$mock_port/health" "$out/mock.log"
}

# Runs LocalTokensBench with its arguments (see that class), with the JVM options in the array
# bench_jvm_options if the script set one; what it says besides its output goes to $out/raw.txt.
local_bench() {
  "$java" ${bench_jvm_options[@]+"${bench_jvm_options[@]}"} -Dde.kherud.llama.tmpdir="$gateway_dir/llama-tmp" \
    -cp "$classpath" io.lmbridge.bench.LocalTokensBench "$@" 2>> "$out/raw.txt"
}

# The name the gateway lists the GGUF file FILE under (local/ModelKeys); its key is lmbridge:NAME.
model_name() {
  local_bench name "$1"
}

# POSTs BODY to /v1/llama/models/ACTION (load or unload) of the gateway on PORT and prints the
# answer; an error status fails.
local_models() {
  local port=$1 action=$2 body=$3
  curl --noproxy '*' -sS --fail-with-body -X POST "http://127.0.0.1:$port/v1/llama/models/$action" \
    -H 'Content-Type: application/json' -d "$body"
}
