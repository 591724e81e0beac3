# Sourced by scripts/*.sh: finds, and where it may (root + apt), installs what the project needs,
# and runs private RabbitMQ nodes for the demo and the benchmark. Nothing here is needed at run
# time in a container: the images bring their own runtime and reach the broker by URL.

qi_log() { printf '[%s] %s\n' "$(basename "$0")" "$*" >&2; }

qi_apt_install() {
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    return 1
  fi
  if [ -z "${QI_APT_UPDATED:-}" ]; then
    apt-get update -qq >/dev/null && QI_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

qi_require_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    qi_log "the .NET 10 SDK is required (https://dotnet.microsoft.com/download/dotnet/10.0)"
    exit 1
  fi
}

# Debian's /usr/sbin wrappers switch to the rabbitmq user, which cannot use our directories,
# so prefer the scripts they wrap.
qi_rabbitmq_bin() {
  local dir
  for dir in /usr/lib/rabbitmq/bin /usr/local/sbin /usr/sbin /usr/local/bin; do
    if [ -x "$dir/rabbitmq-server" ]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

qi_require_rabbitmq_server() {
  if qi_rabbitmq_bin >/dev/null; then
    return 0
  fi
  qi_log "rabbitmq-server is not installed; installing it with apt-get"
  if qi_apt_install rabbitmq-server && qi_rabbitmq_bin >/dev/null; then
    return 0
  fi
  qi_log "RabbitMQ is required: as root run 'apt-get update && apt-get install -y rabbitmq-server'," \
         "or point RABBITMQ_URL (demo) / RABBITMQ_TEST_URL (tests) at a running broker"
  exit 1
}

qi_require_python_pika() {
  if /usr/bin/python3 -c 'import pika' >/dev/null 2>&1; then
    return 0
  fi
  qi_log "python3-pika (the seed client's library, used by a compatibility test) is missing; installing it"
  if qi_apt_install python3-pika && /usr/bin/python3 -c 'import pika' >/dev/null 2>&1; then
    return 0
  fi
  qi_log "python3-pika is required: as root run 'apt-get install -y python3-pika'"
  exit 1
}

qi_require_python_onnx() {
  if /usr/bin/python3 -c 'import onnx' >/dev/null 2>&1; then
    return 0
  fi
  qi_log "python3-onnx (models/make_model.py, which generates the models tests and benchmarks use) is missing; installing it"
  if qi_apt_install python3-onnx && /usr/bin/python3 -c 'import onnx' >/dev/null 2>&1; then
    return 0
  fi
  qi_log "python3-onnx is required: as root run 'apt-get install -y python3-onnx'"
  exit 1
}

# Debian's prometheus package brings promtool (the rule checks and unit tests) and the server the monitoring
# integration test scrapes the worker with.
qi_require_prometheus() {
  if command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1; then
    return 0
  fi
  qi_log "prometheus (promtool and the server, for the alert rules' tests) is missing; installing it with apt-get"
  if qi_apt_install --no-install-recommends prometheus && command -v promtool >/dev/null 2>&1; then
    return 0
  fi
  qi_log "Prometheus is required: as root run 'apt-get install -y prometheus'"
  exit 1
}

# The worker ships as native code (Native AOT): publishing it links with clang or gcc against zlib.
qi_require_native_toolchain() {
  if { command -v clang >/dev/null 2>&1 || command -v gcc >/dev/null 2>&1; } && [ -f /usr/include/zlib.h ]; then
    return 0
  fi
  qi_log "a C toolchain and zlib's headers (to publish the native worker) are missing; installing clang and zlib1g-dev with apt-get"
  if qi_apt_install --no-install-recommends clang zlib1g-dev && [ -f /usr/include/zlib.h ]; then
    return 0
  fi
  qi_log "the native worker needs a linker: as root run 'apt-get install -y clang zlib1g-dev'"
  exit 1
}

qi_free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# qi_start_broker DIR: starts a private node with its data in DIR, loopback only; sets QI_BROKER_URL.
qi_start_broker() {
  local dir=$1 bin port
  bin=$(qi_rabbitmq_bin)
  port=$(qi_free_port)
  mkdir -p "$dir"
  echo '[].' > "$dir/enabled_plugins"
  : > "$dir/rabbitmq.conf"
  export RABBITMQ_NODENAME="qi-$port@localhost" RABBITMQ_NODE_PORT=$port RABBITMQ_DIST_PORT=$(qi_free_port) \
         RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" \
         RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" RABBITMQ_CONFIG_FILE="$dir/rabbitmq" \
         RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1}'
  HOME="$dir" nohup "$bin/rabbitmq-server" > "$dir/server.out" 2>&1 &
  local i
  for i in $(seq 1 90); do
    if HOME="$dir" "$bin/rabbitmqctl" -n "$RABBITMQ_NODENAME" -q await_startup --timeout 5 >/dev/null 2>&1; then
      QI_BROKER_URL="amqp://guest:guest@127.0.0.1:$port/"
      QI_BROKER_DIR=$dir
      QI_BROKER_NODE=$RABBITMQ_NODENAME
      printf 'QI_BROKER_URL=%q\nQI_BROKER_DIR=%q\nQI_BROKER_NODE=%q\n' "$QI_BROKER_URL" "$dir" "$QI_BROKER_NODE" > "$dir/broker.env"
      return 0
    fi
    sleep 1
  done
  qi_log "the private broker did not start; see $dir/server.out"
  tail -n 20 "$dir/server.out" >&2
  return 1
}

# qi_adopt_broker DIR: takes over a node that qi_start_broker DIR started in a background job.
qi_adopt_broker() {
  [ -f "$1/broker.env" ] || return 1
  . "$1/broker.env"
}

qi_stop_broker() {
  if [ -n "${QI_BROKER_NODE:-}" ]; then
    HOME="$QI_BROKER_DIR" "$(qi_rabbitmq_bin)/rabbitmqctl" -n "$QI_BROKER_NODE" -q stop >/dev/null 2>&1 || true
    QI_BROKER_NODE=
  fi
}
