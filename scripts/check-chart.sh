#!/usr/bin/env bash
# Renders charts/queue-inference in worker mode, functions mode and with KEDA off, and validates the
# output and keda/*.yaml against KEDA v2.20.2's CRD schemas (issue 4's checks).
# Uses the development aids in ../shared (chart-render, validate-manifests.py) because this machine
# has no helm; with helm installed, it also runs `helm lint` and `helm template`, the authority.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED_DIR:-$repo/../shared}
chart=$repo/charts/queue-inference
validate=$shared/tools/validate-manifests.py
render=$(bash "$shared/tools/chart-render/build.sh" /tmp/chart-render | tail -n1)

check() {
  local title=$1; shift
  echo "== $title: chart-render $* | validate-manifests.py"
  "$render" "$chart" --name queue-inference "$@" | "$validate"
}
check "worker mode (defaults)"
check "functions mode" --set mode=functions
check "KEDA off" --set keda.enabled=false
check "amqp protocol" --set keda.protocol=amqp
echo "== keda/*.yaml"
"$validate" "$repo"/keda/*.yaml

if command -v helm >/dev/null; then
  helm lint "$chart"
  helm lint "$chart" --set mode=functions
  helm template queue-inference "$chart" | "$validate"
fi
