#!/usr/bin/env bash
# Runs the pod-sized benchmark: builds Release, checks for root (cgroups), runs `qi bench`.
# Usage: scripts/bench.sh [qi bench options], e.g. scripts/bench.sh --backlog 20000 --steady-seconds 20
# Writes results/benchmark.md and results/benchmark.json (override with --output DIR).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v rabbitmq-server >/dev/null 2>&1 && [ ! -x /usr/lib/rabbitmq/bin/rabbitmq-server ]; then
  echo "bench.sh: rabbitmq-server is not installed (apt-get install rabbitmq-server), or pass --broker amqp://..." >&2
fi

if [ "$(id -u)" -ne 0 ]; then
  # Without root no cgroup can be created: qi bench falls back to CPU pinning and says so in the results.
  echo "bench.sh: not root: the pod will be CPU-pinned only, with no memory limit" >&2
fi

dotnet build -c Release src/QueueInference.Worker -nologo -v quiet
dotnet build -c Release src/QueueInference.Cli -nologo -v quiet
exec dotnet src/QueueInference.Cli/bin/Release/net10.0/qi.dll bench \
  --worker src/QueueInference.Worker/bin/Release/net10.0/QueueInference.Worker.dll "$@"
