// The matrix: `helm lint --strict` and `helm template` for the chart's defaults and every value set in
// charts/queue-inference/ci/, each rendered object parsed strictly and validated against the
// Kubernetes, KEDA and Prometheus Operator schemas with unknown fields rejected, and the objects'
// references to each other checked.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { find, helmVersion, lint, parseManifests, template, valueSets } from "./lib/chart.mjs";
import { validate } from "./lib/schemas.mjs";

const matrix = [{ name: "defaults", file: null }, ...valueSets()];

test(`helm is ${helmVersion()}`, () => {
  assert.match(helmVersion(), /^v\d+\.\d+\.\d+/);
});

for (const { name, file } of matrix) {
  const values = { files: file ? [file] : [] };
  describe(`value set ${name}`, () => {
    test("helm lint --strict passes", () => {
      const { status, stdout, stderr } = lint(values);
      assert.equal(status, 0, `${stdout}\n${stderr}`);
      assert.match(stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
      assert.doesNotMatch(stdout, /\[(WARNING|ERROR)\]/);
    });

    const objects = parseManifests(template(values), `helm template (${name})`);

    test(`every rendered object (${objects.length}) validates, unknown fields rejected`, async () => {
      const problems = [];
      for (const object of objects) {
        for (const problem of await validate(object)) {
          problems.push(`${object.kind}/${object.metadata?.name}: ${problem}`);
        }
      }
      assert.deepEqual(problems, []);
    });

    test("every object is in the release namespace and carries the chart's labels once", () => {
      for (const object of objects) {
        assert.equal(object.metadata.namespace, "inference", `${object.kind}/${object.metadata.name}`);
        assert.equal(object.metadata.labels["app.kubernetes.io/instance"], "queue-inference", `${object.kind}/${object.metadata.name}`);
      }
    });

    test("selectors select the pods", () => {
      const deployment = find(objects, "Deployment");
      const podLabels = deployment.spec.template.metadata.labels;
      const selects = (selector, what) => {
        for (const [key, value] of Object.entries(selector)) {
          assert.equal(podLabels[key], value, `${what} selects ${key}=${value}, the pods have ${podLabels[key]}`);
        }
      };
      selects(deployment.spec.selector.matchLabels, "the Deployment");
      for (const object of objects.filter((o) => o.kind === "Service")) {
        selects(object.spec.selector, `Service/${object.metadata.name}`);
      }
      for (const object of objects.filter((o) => ["PodDisruptionBudget", "ServiceMonitor"].includes(o.kind))) {
        selects(object.spec.selector.matchLabels, `${object.kind}/${object.metadata.name}`);
      }
    });

    test("references name objects the chart renders", () => {
      const names = (kind) => objects.filter((o) => o.kind === kind).map((o) => o.metadata.name);
      const deployment = find(objects, "Deployment");
      const pod = deployment.spec.template.spec;
      if (names("ServiceAccount").length > 0) {
        assert.deepEqual(names("ServiceAccount"), [pod.serviceAccountName]);
      }
      for (const scaledObject of objects.filter((o) => o.kind === "ScaledObject")) {
        assert.equal(scaledObject.spec.scaleTargetRef.name, deployment.metadata.name);
        for (const trigger of scaledObject.spec.triggers) {
          assert.ok(names("TriggerAuthentication").includes(trigger.authenticationRef.name), `trigger ${trigger.name} -> ${trigger.authenticationRef.name}`);
        }
      }
      for (const auth of objects.filter((o) => o.kind === "TriggerAuthentication")) {
        for (const ref of auth.spec.configMapTargetRef ?? []) {
          assert.ok(names("ConfigMap").includes(ref.name), `configMapTargetRef ${ref.name}`);
        }
      }
      for (const monitor of objects.filter((o) => o.kind === "ServiceMonitor")) {
        const ports = objects.filter((o) => o.kind === "Service").flatMap((s) => s.spec.ports.map((p) => p.name));
        for (const endpoint of monitor.spec.endpoints) {
          assert.ok(ports.includes(endpoint.port), `ServiceMonitor port ${endpoint.port}`);
        }
      }
    });
  });
}
