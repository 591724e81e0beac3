#!/usr/bin/env bash
# The chart's checks with real Helm (issue 16): `helm lint --strict` and `helm template` over the value sets
# in charts/queue-inference/ci/, every rendered object validated against the Kubernetes, KEDA (v2.20.2 CRDs)
# and Prometheus Operator schemas with unknown fields rejected, keda/ compared with the chart's output, the
# values the chart must refuse, the issue's fixes in the rendered manifests, and the generated chart README.
# Fetches what it needs into git-ignored folders: Helm (scripts/lib/helm.sh, pinned and verified) in .tools/,
# the test packages (tests/chart/package-lock.json, integrity-checked by npm ci) in tests/chart/node_modules.
# Prints "chart: N passed, N failed" last; exits non-zero when a check fails.
#   scripts/check-chart.sh                   run the checks
#   scripts/check-chart.sh --update-readme   regenerate the Parameters section of charts/queue-inference/README.md
#   scripts/check-chart.sh --update-rules    regenerate monitoring/alerts.yaml (the PrometheusRule's groups as a plain file)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
. scripts/lib/prerequisites.sh
. scripts/lib/helm.sh

tools=$repo/.tools
tests=$repo/tests/chart
qi_require_helm "$tools"
# Helm keeps its caches and settings here instead of the user's home.
export HELM_CACHE_HOME=$tools/helm-home/cache HELM_CONFIG_HOME=$tools/helm-home/config HELM_DATA_HOME=$tools/helm-home/data

# npm ci checks every package against the integrity hashes of package-lock.json; it reruns only when the
# lock file changed since the last successful install.
stamp=$tests/node_modules/.installed-lock.sha256
lock_hash=$(sha256sum "$tests/package-lock.json" | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
  qi_log "npm ci in tests/chart (kubernetes-models, KEDA and Prometheus Operator models, readme-generator-for-helm)"
  (cd "$tests" && npm ci --no-audit --no-fund --loglevel=error --cache "$tools/npm-cache" >/dev/null)
  echo "$lock_hash" > "$stamp"
fi

if [ "${1:-}" = "--update-readme" ]; then
  node "$tests/node_modules/@bitnami/readme-generator-for-helm/bin/index.js" \
    --values charts/queue-inference/values.yaml --readme charts/queue-inference/README.md
  exit 0
fi

if [ "${1:-}" = "--update-rules" ]; then
  HELM=$QI_HELM node "$tests/update-rules.mjs"
  exit 0
fi

qi_log "helm $("$QI_HELM" version --short): lint, template matrix, schema validation, keda/, README (tests/chart)"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
code=0
HELM=$QI_HELM node --test --test-reporter=spec "$tests"/*.test.mjs 2>&1 | tee "$log" || code=$?
passed=$(sed -nE 's/^ℹ pass ([0-9]+)$/\1/p' "$log" | tail -n 1)
failed=$(sed -nE 's/^ℹ fail ([0-9]+)$/\1/p' "$log" | tail -n 1)
if [ -z "$passed" ] || [ -z "$failed" ]; then
  qi_log "the chart tests printed no summary (exit $code)"
  exit 1
fi
if [ "$code" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # node --test counts only tests: an error in a file or suite body fails the run without a failed test.
  qi_log "the chart tests failed outside any test (exit $code); see above"
  failed=1
fi
echo "chart: $passed passed, $failed failed"
[ "$code" -eq 0 ] && [ "$failed" -eq 0 ]
