// keda/ holds the chart's KEDA objects for users who deploy with kubectl alone. Each file must equal what
// the chart renders with its defaults for the release `queue-inference`, object for object, except the
// three fields only Helm has a use for: metadata.namespace (kubectl apply -n chooses it) and the labels
// helm.sh/chart and app.kubernetes.io/managed-by.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { find, parseManifests, repoRoot, template } from "./lib/chart.mjs";

const helmOnlyLabels = ["helm.sh/chart", "app.kubernetes.io/managed-by"];

function withoutHelmBookkeeping(object) {
  const copy = structuredClone(object);
  delete copy.metadata.namespace;
  for (const label of helmOnlyLabels) {
    delete copy.metadata.labels[label];
  }
  return copy;
}

const rendered = parseManifests(template({}));

for (const [file, kind] of [["scaledobject.yaml", "ScaledObject"], ["triggerauthentication.yaml", "TriggerAuthentication"], ["secret.example.yaml", "Secret"]]) {
  test(`keda/${file} equals the chart's ${kind} for release queue-inference`, () => {
    const shipped = parseManifests(readFileSync(path.join(repoRoot, "keda", file), "utf8"), `keda/${file}`);
    assert.equal(shipped.length, 1, `keda/${file} holds one object`);
    assert.deepEqual(shipped[0], withoutHelmBookkeeping(find(rendered, kind)));
  });
}
