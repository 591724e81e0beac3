// Issue 17: the alert rules (an opt-in PrometheusRule, the same groups as the plain file monitoring/alerts.yaml)
// and the Grafana dashboard (an opt-in ConfigMap for Grafana's sidecar), on the manifests real Helm renders.
// promtool runs the rules' unit tests (scripts/check-alerts.sh); a real Prometheus evaluates every expression
// against a running worker in tests/QueueInference.Worker.IntegrationTests/MonitoringTests.cs.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { parse } from "yaml";
import { chartDir, find, parseManifests, repoRoot, template, tryTemplate } from "./lib/chart.mjs";
import { renderedRuleGroups, shippedRuleGroups } from "./lib/monitoring.mjs";

const render = (values) => parseManifests(template(values));
const rules = (spec) => spec.groups.flatMap((g) => g.rules);
const alertNames = (spec) => rules(spec).filter((r) => r.alert).map((r) => r.alert);
const dashboardFile = path.join(chartDir, "files", "grafana-dashboard.json");

describe("alert rules", () => {
  test("monitoring/alerts.yaml equals the chart's PrometheusRule groups for release queue-inference (scripts/check-chart.sh --update-rules)", () => {
    assert.deepEqual(shippedRuleGroups(), renderedRuleGroups());
  });

  test("every alert has a promtool test where it fires and one where it does not (monitoring/alerts.test.yaml)", () => {
    const tests = parse(readFileSync(path.join(repoRoot, "monitoring", "alerts.test.yaml"), "utf8")).tests;
    const cases = tests.flatMap((t) => t.alert_rule_test ?? []);
    const missing = [];
    for (const alert of alertNames(shippedRuleGroups())) {
      const own = cases.filter((c) => c.alertname === alert);
      if (!own.some((c) => (c.exp_alerts ?? []).length > 0)) missing.push(`${alert}: no firing case`);
      if (!own.some((c) => (c.exp_alerts ?? []).length === 0)) missing.push(`${alert}: no silent case`);
    }
    assert.deepEqual(missing, []);
    assert.equal(alertNames(shippedRuleGroups()).length, 8);
  });

  test("the PrometheusRule and the dashboard are opt-in", () => {
    const kinds = render({}).map((o) => `${o.kind}/${o.metadata.name}`);
    assert.ok(!kinds.some((k) => k.startsWith("PrometheusRule/")), kinds.join(", "));
    assert.ok(!kinds.includes("ConfigMap/queue-inference-dashboard"), kinds.join(", "));
  });

  test("thresholds, durations, labels and the selector come from the values", () => {
    const objects = render({ files: [path.join(chartDir, "ci", "everything-values.yaml")] });
    const spec = find(objects, "PrometheusRule").spec;
    const scaledObject = find(objects, "ScaledObject").metadata.name;
    const byName = Object.fromEntries(rules(spec).map((r) => [r.alert ?? r.record, r]));
    assert.equal(byName.QueueInferenceRetryRateHigh.expr, "queueinference:requests_retried:rate5m / queueinference:requests_received:rate5m > 0.2");
    assert.equal(byName.QueueInferencePickUpWaitAboveTarget.expr, "queueinference:pick_up_wait_seconds:p99_5m >= 30");
    assert.equal(byName.QueueInferenceDeadLettersGrowing.expr, "queueinference:requests_dead_lettered:increase10m > 10");
    assert.equal(byName.QueueInferenceBrokerDisconnected.for, "1m");
    assert.deepEqual(byName.QueueInferenceConsumerStalled.labels, { severity: "critical", team: "ml-platform" });
    // KEDA names its HPA keda-hpa-<ScaledObject name>.
    assert.ok(byName.QueueInferenceReplicasAtMaxBacklogGrowing.expr.includes(`horizontalpodautoscaler="keda-hpa-${scaledObject}"`));
    assert.ok(byName["queueinference:keda_queue_length:deriv10m"].expr.includes(`scaledObject="${scaledObject}"`));
    for (const rule of rules(spec)) {
      for (const selector of rule.expr.match(/queueinference_[a-z_]+(\{[^}]*\})?/g) ?? []) {
        assert.ok(selector.includes('namespace="inference",job="inference"'), `${rule.alert ?? rule.record}: ${selector} misses the selector`);
      }
    }
  });

  test("the Functions host gets only the alerts its metrics support; no KEDA, no scale alert", () => {
    const functions = find(render({ set: ["mode=functions", "prometheusRule.enabled=true"] }), "PrometheusRule").spec;
    assert.deepEqual(alertNames(functions), ["QueueInferenceDeadLettersGrowing", "QueueInferencePickUpWaitAboveTarget", "QueueInferenceReplicasAtMaxBacklogGrowing"]);
    const noKeda = find(render({ set: ["keda.enabled=false", "prometheusRule.enabled=true"] }), "PrometheusRule").spec;
    assert.ok(!alertNames(noKeda).includes("QueueInferenceReplicasAtMaxBacklogGrowing"));
    assert.ok(!rules(noKeda).some((r) => r.expr.includes("keda_")));
  });

  test("the memory alert divides by the budget the worker computes: Consumer:MaxInFlightBytes, or 35 % of the memory limit", () => {
    const memoryExpr = (values) => rules(find(render(values), "PrometheusRule").spec).find((r) => r.alert === "QueueInferencePodNearMemoryBudget")?.expr;
    const on = "prometheusRule.enabled=true";
    assert.equal(memoryExpr({ set: [on] }), "queueinference_requests_in_flight_bytes / 187904819 >= 0.8");
    assert.equal(memoryExpr({ set: [on, "resources.limits.memory=2G"] }), "queueinference_requests_in_flight_bytes / 700000000 >= 0.8");
    assert.equal(memoryExpr({ set: [on, "resources.limits.memory=2.5Gi"] }), "queueinference_requests_in_flight_bytes / 939524096 >= 0.8");
    assert.equal(memoryExpr({ set: [on, "config.Consumer.MaxInFlightBytes=1000000"], setJson: ["prometheusRule.memoryBudget.ratio=0.5"] }), "queueinference_requests_in_flight_bytes / 1000000 >= 0.5");
    assert.equal(memoryExpr({ set: [on, "resources.limits=null"] }), undefined);
    const { status, stderr } = tryTemplate({ set: [on, "resources.limits.memory=1e9"] });
    assert.notEqual(status, 0);
    assert.match(stderr, /resources\.limits\.memory "1e9"/);
  });

  test("a pick-up wait target above the histogram's top bucket (60 s) is refused", () => {
    const { status, stderr } = tryTemplate({ set: ["prometheusRule.enabled=true", "prometheusRule.pickUpWait.seconds=90"] });
    assert.notEqual(status, 0);
    assert.match(stderr, /pickUpWait/);
  });
});

describe("Grafana dashboard", () => {
  const dashboard = JSON.parse(readFileSync(dashboardFile, "utf8"));
  const targets = dashboard.panels.flatMap((p) => p.targets.map((t) => ({ panel: p.title, ...t })));

  test("the ConfigMap carries the sidecar's label and the dashboard file as it is", () => {
    const configMap = find(render({ set: ["grafanaDashboard.enabled=true"] }), "ConfigMap", "queue-inference-dashboard");
    assert.equal(configMap.metadata.labels.grafana_dashboard, "1");
    assert.deepEqual(JSON.parse(configMap.data["queue-inference.json"]), dashboard);
  });

  test("the sidecar's label, the namespace and annotations are configurable", () => {
    const configMap = find(render({ set: ["grafanaDashboard.enabled=true", "grafanaDashboard.namespace=monitoring", "grafanaDashboard.labels.grafana_dashboard=null", "grafanaDashboard.labels.dashboards=queue", "grafanaDashboard.annotations.grafana_folder=Queues"] }), "ConfigMap", "queue-inference-dashboard");
    assert.equal(configMap.metadata.namespace, "monitoring");
    assert.equal(configMap.metadata.labels.dashboards, "queue");
    assert.equal(configMap.metadata.labels.grafana_dashboard, undefined);
    assert.deepEqual(configMap.metadata.annotations, { grafana_folder: "Queues" });
  });

  test("panels: throughput, in flight, stage latency percentiles, dead letters by reason, retries, pods against queue depth", () => {
    const titles = dashboard.panels.map((p) => p.title);
    for (const wanted of ["Throughput", "In flight", "Stage latency p50 / p99", "Dead letters by reason", "Retries and failures", "Pods against queue depth"]) {
      assert.ok(titles.includes(wanted), `no panel ${wanted}: ${titles.join(", ")}`);
    }
    const latency = targets.filter((t) => t.panel === "Stage latency p50 / p99").map((t) => t.expr);
    assert.ok(latency.some((e) => e.startsWith("histogram_quantile(0.99, sum by (le, stage) (rate(queueinference_stage_duration_bucket")));
  });

  test("every query uses the data source variable, and every worker series is filtered by $namespace", () => {
    for (const t of targets) {
      assert.equal(t.datasource.uid, "${datasource}", `${t.panel} ${t.refId}`);
      for (const selector of t.expr.match(/queueinference_[a-z_]+(\{[^}]*\})?/g) ?? []) {
        assert.ok(selector.includes('namespace=~"$namespace"'), `${t.panel} ${t.refId}: ${selector}`);
      }
    }
  });
});
