#!/usr/bin/env bash
# The demo: a RabbitMQ broker (a private node, or the one at RABBITMQ_URL), the worker host with the
# seed's workload (3 s I/O step, bit-identical transformation, ONNX model), a load of seed-format
# requests from `qi load`, and its report: counts, rates, latency percentiles, files with charts.
#   DEMO_COUNT   requests to send (default 20000)
#   DEMO_QUEUE   request queue (default request_queue)
#   RABBITMQ_URL use this broker instead of starting one
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/lib/prerequisites.sh

count=${DEMO_COUNT:-20000}
queue=${DEMO_QUEUE:-request_queue}
out=results/demo
qi_require_dotnet

qi_log "building the worker and the qi tool (Release)"
dotnet build src/QueueInference.Worker -c Release --nologo -v quiet -clp:ErrorsOnly
dotnet build src/QueueInference.Cli -c Release --nologo -v quiet -clp:ErrorsOnly

work=$(mktemp -d /tmp/qi-demo.XXXXXX)
worker_pid=
cleanup() {
  if [ -n "$worker_pid" ] && kill -0 "$worker_pid" 2>/dev/null; then
    kill -TERM "$worker_pid" && wait "$worker_pid" || true
  fi
  qi_stop_broker
}
trap cleanup EXIT

if [ -n "${RABBITMQ_URL:-}" ]; then
  url=$RABBITMQ_URL
  qi_log "using the broker at $(sed -E 's#://([^:@/]+):[^@/]*@#://\1:***@#' <<<"$url")"
else
  qi_require_rabbitmq_server
  qi_log "starting a private RabbitMQ node (data in $work/broker)"
  qi_start_broker "$work/broker"
  url=$QI_BROKER_URL
fi

port=$(qi_free_port)
qi_log "starting the worker (the seed workload: IoStep:Delay 3 s; default Consumer:MaxInFlight; log in $work/worker.log)"
RabbitMQ__ConnectionString=$url RabbitMQ__RequestQueue=$queue Observability__Port=$port \
  Observability__SummaryInterval=00:00:05 \
  dotnet src/QueueInference.Worker/bin/Release/net10.0/QueueInference.Worker.dll >"$work/worker.log" 2>&1 &
worker_pid=$!
for _ in $(seq 1 120); do
  if /usr/bin/python3 -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$port/health/ready', timeout=1)" 2>/dev/null; then
    break
  fi
  kill -0 "$worker_pid" 2>/dev/null || { cat "$work/worker.log" >&2; qi_log "the worker exited"; exit 1; }
  sleep 0.5
done

qi_log "sending $count seed-format requests to $queue"
status=0
dotnet src/QueueInference.Cli/bin/Release/net10.0/qi.dll load --broker "$url" --queue "$queue" --count "$count" \
  --output "$out" --fail-if "missing>0" --fail-if "duplicates>0" || status=$?

qi_log "the worker's summary lines:"
grep -E "Summary:" "$work/worker.log" | sed -E 's/^.*Summary: /  /' | tail -n 5
qi_log "reports (JSON, Markdown, CSV, PNG chart) in $out/"
exit $status
