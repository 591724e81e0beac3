#!/usr/bin/env bash
# Builds FunctionApp if its packages restore from the configured NuGet feed. If they do not (NU1101/NU1102/NU1103),
# prints one SKIPPED line naming them and exits 0; any other restore or build failure exits non-zero.
# The Functions Worker Sdk restores a second, generated project (WorkerExtensions.csproj, which pulls the host
# extension Microsoft.Azure.WebJobs.Extensions.RabbitMQ) during the build itself, so the same check runs on build output.
set -euo pipefail
cd "$(dirname "$0")/.."
project=FunctionApp/FunctionApp.csproj
configuration=${CONFIGURATION:-Release}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

missing_packages() {
  # NU1101 "Unable to find package X. No packages exist…", NU1102 "Unable to find package X with version…",
  # NU1103 "Unable to find a stable package X with version…"
  { grep -oE 'error NU110[123]: Unable to find (a stable )?package [^ ]+' "$log" || true; } \
    | awk '{print $NF}' | sed 's/\.$//' | sort -u | paste -sd, - | sed 's/,/, /g'
}

if ! dotnet restore "$project" --nologo -v q >"$log" 2>&1; then
  ids=$(missing_packages)
  if [[ -n "$ids" ]]; then
    echo "FunctionApp: SKIPPED (its packages do not restore from the configured NuGet feed: $ids)"
    exit 0
  fi
  cat "$log"
  echo "FunctionApp: FAILED (restore failed for a reason other than missing packages; see above)" >&2
  exit 1
fi

if ! dotnet build "$project" --no-restore --nologo -v q -c "$configuration" >"$log" 2>&1; then
  ids=$(missing_packages)
  if [[ -n "$ids" ]]; then
    echo "FunctionApp: SKIPPED (the Functions Sdk's generated extensions project does not restore from the configured NuGet feed: $ids)"
    exit 0
  fi
  cat "$log"
  echo "FunctionApp: FAILED (build errors above)" >&2
  exit 1
fi

echo "FunctionApp: BUILT ($project, $configuration)"
