// Runs the real Helm binary on charts/queue-inference and parses what it prints, strictly.
import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const chartDir = path.join(repoRoot, "charts", "queue-inference");
export const valueSetDir = path.join(chartDir, "ci");

/** The release name the docs and keda/ use: `helm install queue-inference ...`. */
export const release = "queue-inference";

const helm = process.env.HELM;
if (!helm) {
  throw new Error("HELM is not set: run these tests through scripts/check-chart.sh, which fetches and verifies Helm");
}

/** The value sets of the matrix: charts/queue-inference/ci/*-values.yaml (the chart-testing convention). */
export function valueSets() {
  return readdirSync(valueSetDir).filter((f) => f.endsWith("-values.yaml")).sort()
    .map((file) => ({ name: file.replace(/-values\.yaml$/, ""), file: path.join(valueSetDir, file) }));
}

function valueArgs({ files = [], set = [], setJson = [], setString = [] } = {}) {
  return [
    ...files.flatMap((f) => ["-f", f]),
    ...set.flatMap((s) => ["--set", s]),
    ...setJson.flatMap((s) => ["--set-json", s]),
    ...setString.flatMap((s) => ["--set-string", s]),
  ];
}

/** `helm <args>`; returns { status, stdout, stderr } without throwing. */
export function runHelm(args) {
  const result = spawnSync(helm, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.error) {
    throw result.error;
  }
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `helm lint --strict` with the given values; returns its output and exit status. */
export function lint(values) {
  return runHelm(["lint", "--strict", chartDir, ...valueArgs(values)]);
}

/** `helm template`, failing the caller with Helm's message when Helm refuses the values. */
export function template(values, { namespace = "inference", extra = [] } = {}) {
  const result = tryTemplate(values, { namespace, extra });
  if (result.status !== 0) {
    throw new Error(`helm template failed (exit ${result.status}):\n${result.stderr}`);
  }
  return result.stdout;
}

/** `helm template` that returns { status, stdout, stderr }, for values that must be refused. */
export function tryTemplate(values, { namespace = "inference", extra = [] } = {}) {
  return runHelm(["template", release, chartDir, "--namespace", namespace, ...extra, ...valueArgs(values)]);
}

/**
 * Every document of a multi-document YAML stream, parsed as YAML 1.2 with duplicate keys and
 * every other error refused (Helm itself prints duplicate keys without complaint).
 */
export function parseManifests(text, source = "helm template") {
  const objects = [];
  for (const document of parseAllDocuments(text, { uniqueKeys: true, strict: true, prettyErrors: true })) {
    const problems = [...document.errors, ...document.warnings];
    if (problems.length > 0) {
      throw new Error(`${source}: invalid YAML:\n${problems.map((p) => p.message).join("\n")}`);
    }
    const value = document.toJS({ maxAliasCount: 0 });
    if (value !== null && value !== undefined) {
      objects.push(value);
    }
  }
  return objects;
}

/** The object of one kind (and name, when several share the kind). */
export function find(objects, kind, name) {
  const matches = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata?.name === name));
  if (matches.length !== 1) {
    throw new Error(`expected one ${kind}${name ? ` named ${name}` : ""}, found ${matches.length}`);
  }
  return matches[0];
}

export function helmVersion() {
  return execFileSync(helm, ["version", "--short"], { encoding: "utf8" }).trim();
}
