#!/usr/bin/env bash
# Renders docs/images/dashboard-qi-load.png: the Grafana dashboard's queries over a short `qi load` run, drawn from
# Prometheus' HTTP API (Grafana is not needed). Starts a private broker, one worker (the seed's 3 s I/O step, 3 % of
# I/O calls failing, 2 attempts, so retries and dead letters show) and a Prometheus scraping it every second with
# monitoring/alerts.yaml loaded, all on loopback in a temporary directory; then two open-loop qi load phases
# (200 msg/s, then 600 msg/s; 2 % of the first phase's requests have 5000 values, over Contract:MaxDataLength,
# and are dead-lettered), then scripts/dashboard-snapshot.cs. Needs what scripts/test.sh needs.
#   scripts/dashboard-snapshot.sh [OUT_PNG]
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
. scripts/lib/prerequisites.sh
qi_require_dotnet
qi_require_rabbitmq_server
qi_require_prometheus
out=${1:-docs/images/dashboard-qi-load.png}

work=$(mktemp -d)
worker_pid='' prometheus_pid=''
cleanup() {
  [ -n "$worker_pid" ] && kill "$worker_pid" 2>/dev/null || true
  [ -n "$prometheus_pid" ] && kill "$prometheus_pid" 2>/dev/null || true
  qi_stop_broker
  rm -rf "$work"
}
trap cleanup EXIT

qi_log "building the worker and qi (Release)"
dotnet build -c Release src/QueueInference.Worker/QueueInference.Worker.csproj -v q --nologo >/dev/null
dotnet build -c Release src/QueueInference.Cli/QueueInference.Cli.csproj -v q --nologo >/dev/null
qi_start_broker "$work/broker"

worker_port=$(qi_free_port)
queue=snapshot_requests
RabbitMQ__ConnectionString=$QI_BROKER_URL RabbitMQ__RequestQueue=$queue Observability__Port=$worker_port \
  IoStep__FailureRate=0.03 Retry__MaxAttempts=2 Logging__Console__FormatterName=simple \
  dotnet src/QueueInference.Worker/bin/Release/net10.0/QueueInference.Worker.dll > "$work/worker.log" 2>&1 &
worker_pid=$!

prometheus_port=$(qi_free_port)
cat > "$work/prometheus.yml" <<YAML
global: {scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s}
rule_files: ["$repo/monitoring/alerts.yaml"]
scrape_configs:
  - job_name: queue-inference
    static_configs: [{targets: ["127.0.0.1:$worker_port"]}]
YAML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" --web.listen-address="127.0.0.1:$prometheus_port" \
  --log.level=warn > "$work/prometheus.log" 2>&1 &
prometheus_pid=$!
url=http://127.0.0.1:$prometheus_port
for _ in $(seq 1 60); do
  curl -sf "$url/api/v1/query?query=up%3D%3D1" | grep -q '"value"' && break
  sleep 1
done

qi=src/QueueInference.Cli/bin/Release/net10.0/qi
start=$(date +%s)
qi_log "qi load: 200 msg/s for 40 s (2 % oversized), then 600 msg/s for 30 s"
"$qi" load -b "$QI_BROKER_URL" -q $queue -r 200 -d 40s --values 5:98,5000:2 --wait 10s -o "$work/reports" | tail -n 3
"$qi" load -b "$QI_BROKER_URL" -q $queue -r 600 -d 30s --wait 10s -o "$work/reports" | tail -n 3
sleep 10
end=$(date +%s)
mkdir -p "$(dirname "$out")"
dotnet run scripts/dashboard-snapshot.cs -- "$url" charts/queue-inference/files/grafana-dashboard.json "$start" "$end" "$out"
curl -s "$url/api/v1/alerts" > "$work/alerts.json"
qi_log "alerts at the end: $(grep -o '"alertname":"[A-Za-z]*","[^}]*"severity":"[a-z]*"}' "$work/alerts.json" | sed -E 's/"alertname":"([A-Za-z]+)".*/\1/' | sort | uniq -c | tr '\n' ' ')"
