#!/usr/bin/env bash
# The demo: a RabbitMQ broker (a private node, or the one at RABBITMQ_URL), the worker host with the
# seed's workload (3 s I/O step, bit-identical transformation, ONNX model), a load of seed-format
# requests from `qi load`, and its report: counts, rates, latency percentiles, files with charts.
# What it starts it stops, and its temporary folder (broker data, worker log) goes at the end; the
# report stays in qi-reports/load-<run id>/ (ignored by git).
#   DEMO_COUNT   requests to send (default 20000)
#   DEMO_QUEUE   request queue (default request_queue)
#   RABBITMQ_URL use this broker instead of starting one
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/lib/prerequisites.sh

count=${DEMO_COUNT:-20000}
queue=${DEMO_QUEUE:-request_queue}
qi_require_dotnet

work=$(mktemp -d /tmp/qi-demo.XXXXXX)
worker_pid= broker_job=
cleanup() {
  if [ -n "$worker_pid" ] && kill -0 "$worker_pid" 2>/dev/null; then
    kill -TERM "$worker_pid" && wait "$worker_pid" || true
  fi
  if [ -n "$broker_job" ]; then
    wait "$broker_job" 2>/dev/null || true
    qi_adopt_broker "$work/broker" || true
  fi
  qi_stop_broker
  rm -rf "$work"
}
trap cleanup EXIT

if [ -n "${RABBITMQ_URL:-}" ]; then
  url=$RABBITMQ_URL
  qi_log "using the broker at $(sed -E 's#://([^:@/]+):[^@/]*@#://\1:***@#' <<<"$url")"
else
  qi_require_rabbitmq_server
fi

# The broker starts while the builds run; MSBuild's output goes to a log shown only if a build fails.
qi_log "building the worker and the qi tool in Release (about a minute the first time)"
build() {
  if ! dotnet build "$1" -c Release --nologo -v quiet >"$work/build.log" 2>&1; then
    cat "$work/build.log" >&2
    qi_log "the build of $1 failed"
    exit 1
  fi
}
if [ -z "${RABBITMQ_URL:-}" ]; then
  qi_log "starting a private RabbitMQ node (own port and data directory, removed at the end)"
  qi_start_broker "$work/broker" &
  broker_job=$!
fi
build src/QueueInference.Worker
build src/QueueInference.Cli
if [ -z "${RABBITMQ_URL:-}" ]; then
  wait "$broker_job" || { broker_job=; qi_log "the private broker did not start"; exit 1; }
  broker_job=
  qi_adopt_broker "$work/broker"
  url=$QI_BROKER_URL
fi

# As the image runs it: from its own directory, which is its content root (appsettings.json, models/).
port=$(qi_free_port)
qi_log "starting the worker (the seed workload: IoStep:Delay 3s; a summary line every 2s)"
(cd src/QueueInference.Worker/bin/Release/net10.0 && \
  RabbitMQ__ConnectionString=$url RabbitMQ__RequestQueue=$queue Observability__Port=$port \
  Observability__SummaryInterval=2s exec dotnet QueueInference.Worker.dll) >"$work/worker.log" 2>&1 &
worker_pid=$!
for _ in $(seq 1 120); do
  if /usr/bin/python3 -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$port/health/ready', timeout=1)" 2>/dev/null; then
    break
  fi
  kill -0 "$worker_pid" 2>/dev/null || { cat "$work/worker.log" >&2; qi_log "the worker exited"; exit 1; }
  sleep 0.5
done
qi_log "the worker is ready (GET /health/ready answered 200)"

qi_log "sending $count seed-format requests to $queue"
status=0
dotnet src/QueueInference.Cli/bin/Release/net10.0/qi.dll load --broker "$url" --queue "$queue" --count "$count" \
  --fail-if "missing>0" --fail-if "duplicates>0" || status=$?

sleep 2.5 # the summary line of the last interval
qi_log "the worker's summary lines while it replied:"
grep -E "Summary:.*end-to-end p50" "$work/worker.log" | sed -E 's/^.*Summary: /  /' | tail -n 5
exit $status
