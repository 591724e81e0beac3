// The matrix: `helm lint --strict` and `helm template` for the chart's defaults and every value set in
// charts/queue-inference/ci/, each in both modes (the set's own and the other one, by --set mode=...),
// each rendered object parsed strictly and validated against the Kubernetes, KEDA and Prometheus
// Operator schemas with unknown fields rejected, and the objects' references to each other checked.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { parse } from "yaml";
import { find, helmVersion, lint, parseManifests, template, tryTemplate, valueSets } from "./lib/chart.mjs";
import { validate } from "./lib/schemas.mjs";

const modes = ["worker", "functions"];

/** Every value set in both modes; a set with partitions (several request queues) cannot run the Functions host. */
const matrix = [{ name: "defaults", file: null }, ...valueSets()].flatMap(({ name, file }) => {
  const values = file ? parse(readFileSync(file, "utf8")) ?? {} : {};
  const own = values.mode ?? "worker";
  const partitioned = String(values.config?.RabbitMQ?.RequestQueue ?? "").includes(",");
  return modes.map((mode) => ({
    name: mode === own ? name : `${name}, mode=${mode}`,
    mode,
    values: { files: file ? [file] : [], set: mode === own ? [] : [`mode=${mode}`] },
    refused: mode === "functions" && partitioned ? /partitions need mode worker/ : null,
  }));
});

test(`helm is ${helmVersion()}`, () => {
  assert.match(helmVersion(), /^v\d+\.\d+\.\d+/);
});

for (const { name, values, refused } of matrix.filter((m) => m.refused)) {
  test(`value set ${name}: refused (${refused.source})`, () => {
    const { status, stderr } = tryTemplate(values);
    assert.notEqual(status, 0, "helm template accepted it");
    assert.match(stderr, refused);
    // helm lint renders in Helm's lint mode, where a template's `fail` is logged (INFO), not an error: lint
    // shows the refusal but passes; template, install and upgrade refuse (docs/kubernetes.md).
    const linted = lint(values);
    assert.match(`${linted.stdout}\n${linted.stderr}`, refused);
  });
}

for (const { name, mode, values } of matrix.filter((m) => !m.refused)) {
  describe(`value set ${name}`, () => {
    test("helm lint --strict passes", () => {
      const { status, stdout, stderr } = lint(values);
      assert.equal(status, 0, `${stdout}\n${stderr}`);
      assert.match(stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
      assert.doesNotMatch(stdout, /\[(WARNING|ERROR)\]/);
    });

    // Rendered here, outside a test, so each check below gets the objects; a failure is reported by the
    // first test (a throw in the suite's body would count as no failed test at all).
    let objects = [];
    let renderError = null;
    try {
      objects = parseManifests(template(values), `helm template (${name})`);
    } catch (error) {
      renderError = error;
    }

    test(`helm template renders the ${mode} host as strict YAML`, () => {
      if (renderError) {
        throw renderError;
      }
      assert.equal(find(objects, "Deployment").spec.template.spec.containers[0].name, mode);
    });

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
