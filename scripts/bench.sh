#!/usr/bin/env bash
# Runs the pod-sized benchmark: builds Release, checks for root (cgroups), runs `qi bench`.
# Usage: scripts/bench.sh [qi bench options], e.g. scripts/bench.sh --backlog 20000 --steady-seconds 20
# Writes results/benchmark.md and results/benchmark.json (override with --output DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/prerequisites.sh

if ! command -v rabbitmq-server >/dev/null 2>&1 && [ ! -x /usr/lib/rabbitmq/bin/rabbitmq-server ]; then
  echo "bench.sh: rabbitmq-server is not installed (apt-get install rabbitmq-server), or pass --broker amqp://..." >&2
fi

if [ "$(id -u)" -ne 0 ]; then
  # Without root no cgroup can be created: qi bench falls back to CPU pinning and says so in the results.
  echo "bench.sh: not root: the pod will be CPU-pinned only, with no memory limit" >&2
fi

# The worker is measured as it ships: published as native code for this machine's RID, like the container image
# (about 1.5 minutes; it needs a C toolchain, gcc or clang, and zlib's headers).
qi_require_native_toolchain
rid="linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')"
dotnet publish -c Release -r "$rid" src/QueueInference.Worker -o artifacts/worker -nologo -v quiet
dotnet build -c Release src/QueueInference.Cli -nologo -v quiet
exec dotnet src/QueueInference.Cli/bin/Release/net10.0/qi.dll bench --worker artifacts/worker/QueueInference.Worker "$@"
