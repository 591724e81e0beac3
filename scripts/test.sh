#!/usr/bin/env bash
# The test command: every test project in Release (unit tests, then integration tests against private
# RabbitMQ nodes the fixtures start from the installed rabbitmq-server), then the Helm chart with
# real Helm (scripts/check-chart.sh), then the alert rules with promtool (scripts/check-alerts.sh), then
# the FunctionApp build (Release), which is skipped with a reason where its packages cannot be restored.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/lib/prerequisites.sh

qi_require_dotnet
# The tests check the contract against the seed's own files, which every checkout has beside it (../shared).
if [ ! -f ../shared/seed/README.md ] || [ ! -f ../shared/seed/model.onnx ]; then
  qi_log "the seed's contract and model (../shared/seed/README.md, model.onnx) must be beside this clone: clone it next to shared/"
  exit 1
fi
# Even with RABBITMQ_TEST_URL: the cluster tests start private nodes of the installed server.
qi_require_rabbitmq_server
qi_require_python_pika
qi_require_python_onnx
# promtool for the alert rules' tests; the server for the integration test that scrapes a worker with it.
qi_require_prometheus
# The worker's integration tests run it as it ships, native code that their build publishes.
qi_require_native_toolchain

passed=0 failed=0 skipped=0 status=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# One line per test as it finishes ("Passed Class.Method [12 ms]"), so a long project is not silent; the
# failures' messages follow each project. Unit tests first: they fail fast and need no broker.
for project in tests/*/*.Tests.csproj tests/*/*.IntegrationTests.csproj; do
  [ -f "$project" ] || continue
  qi_log "dotnet test $project (Release; builds first)"
  set +e
  dotnet test "$project" -c Release --nologo --logger "console;verbosity=normal" 2>&1 | tee "$log" \
    | grep --line-buffered -E '^\s+(Passed|Failed|Skipped) |error [A-Z]+[0-9]+:' | sed -u -E 's/^\s+/  /'
  code=${PIPESTATUS[0]}
  set -e
  grep -E -A 12 '^\s+Failed [A-Za-z]' "$log" | grep -vE '^\s+(Passed|Skipped) ' || true
  # The run's closing block: "Test Run Successful." (or Failed.), "Total tests: N", then "Passed: N",
  # "Failed: N", "Skipped: N" for the counts that are not zero.
  totals=$(sed -n '/^Test Run \(Successful\|Failed\|Aborted\)\./,$p' "$log")
  count() { { grep -E "^ *$1: *[0-9]+" <<<"$totals" || echo "$1: 0"; } | tail -n 1 | sed -E 's/.*: *([0-9]+).*/\1/'; }
  if ! grep -qE '^Total tests: *[1-9]' <<<"$totals"; then
    qi_log "$project ran no tests (exit $code); its last lines:"
    tail -n 30 "$log" >&2
    status=1
    continue
  fi
  p=$(count Passed) f=$(count Failed) s=$(count Skipped)
  echo "$project: $p passed, $f failed, $s skipped"
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
  [ "$code" -eq 0 ] || status=1
done

# The Helm chart with real Helm (scripts/check-chart.sh, issue 16): its own summary line is added to the totals.
qi_log "scripts/check-chart.sh"
code=0
scripts/check-chart.sh 2>&1 | tee "$log" || code=$?
line=$(grep -E '^chart: [0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1 || true)
if [ -z "$line" ]; then
  qi_log "scripts/check-chart.sh printed no summary (exit $code)"
  status=1
else
  passed=$((passed + $(sed -E 's/^chart: ([0-9]+) passed.*/\1/' <<<"$line")))
  failed=$((failed + $(sed -E 's/.* ([0-9]+) failed$/\1/' <<<"$line")))
fi
[ "$code" -eq 0 ] || status=1

# The alert rules with promtool (scripts/check-alerts.sh, issue 17): check rules and the rules' unit tests.
qi_log "scripts/check-alerts.sh"
code=0
scripts/check-alerts.sh 2>&1 | tee "$log" || code=$?
line=$(grep -E '^alerts: [0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1 || true)
if [ -z "$line" ]; then
  qi_log "scripts/check-alerts.sh printed no summary (exit $code)"
  status=1
else
  passed=$((passed + $(sed -E 's/^alerts: ([0-9]+) passed.*/\1/' <<<"$line")))
  failed=$((failed + $(sed -E 's/.* ([0-9]+) failed$/\1/' <<<"$line")))
fi
[ "$code" -eq 0 ] || status=1

if [ -x scripts/build-functionapp.sh ]; then
  scripts/build-functionapp.sh || status=1
fi

echo "Total: $passed passed, $failed failed, $skipped skipped"
exit $status
