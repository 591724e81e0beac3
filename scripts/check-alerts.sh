#!/usr/bin/env bash
# The alert rules with Prometheus' own tool (issue 17): `promtool check rules` on monitoring/alerts.yaml and
# `promtool test rules` on monitoring/alerts.test.yaml (each alert firing and not firing). Debian's prometheus
# package ships promtool; it is installed when missing (root + apt). Prints "alerts: N passed, N failed" last;
# exits non-zero when a check fails. Whether the file equals the chart's PrometheusRule and every alert has
# both kinds of test case is checked by the chart tests (tests/chart/monitoring.test.mjs).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/lib/prerequisites.sh
qi_require_prometheus

qi_log "$(promtool --version 2>&1 | head -n 1)"
passed=0 failed=0
for check in "check rules monitoring/alerts.yaml" "test rules monitoring/alerts.test.yaml"; do
  echo "promtool $check"
  # shellcheck disable=SC2086 # the words of $check are promtool's arguments
  if promtool $check 2>&1 | sed -u 's/^/  /'; [ "${PIPESTATUS[0]}" -eq 0 ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
done
echo "alerts: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
