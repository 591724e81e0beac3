// The chart's rule groups as the plain rules file monitoring/alerts.yaml ships them: the PrometheusRule's spec,
// rendered with the chart's defaults for the release `queue-inference` (as keda/ holds its KEDA objects).
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { stringify } from "yaml";
import { find, parseManifests, repoRoot, template } from "./chart.mjs";

export const rulesFile = path.join(repoRoot, "monitoring", "alerts.yaml");

const header = `# Prometheus rules of queue-inference (recording and alerting), for a Prometheus without the Operator:
# list this file under rule_files. Generated from charts/queue-inference/templates/_rules.tpl with the chart's
# defaults for the release queue-inference (worker mode, KEDA on): scripts/check-chart.sh --update-rules.
# Do not edit by hand; a chart test fails when it differs from the chart. Tested by monitoring/alerts.test.yaml
# (promtool test rules). What each alert means and what to do: docs/operations.md.
`;

export function renderedRuleGroups() {
  const objects = parseManifests(template({ set: ["prometheusRule.enabled=true"] }));
  return find(objects, "PrometheusRule").spec;
}

export function shippedRuleGroups() {
  return parseManifests(readFileSync(rulesFile, "utf8"), "monitoring/alerts.yaml")[0];
}

export function writeRulesFile() {
  writeFileSync(rulesFile, header + stringify(renderedRuleGroups(), { lineWidth: 0 }));
}
