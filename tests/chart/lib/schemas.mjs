// Validates rendered objects as the API server would, and stricter: unknown fields are errors.
// The API server prunes fields its schema does not know (structural schemas) and only warns about
// them, so a misspelled field would be accepted and silently ignored; here it fails the check.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Ajv from "ajv";
import { parse } from "yaml";
import { repoRoot } from "./chart.mjs";

/** The npm models (generated from Kubernetes' OpenAPI and the CRDs) that validate each apiVersion. */
const modelModules = {
  v1: (kind) => `kubernetes-models/v1/${kind}`,
  "apps/v1": (kind) => `kubernetes-models/apps/v1/${kind}`,
  "policy/v1": (kind) => `kubernetes-models/policy/v1/${kind}`,
  "keda.sh/v1alpha1": (kind) => `@kubernetes-models/keda/keda.sh/v1alpha1/${kind}`,
  "monitoring.coreos.com/v1": (kind) => `@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/${kind}`,
};

/** KEDA's own CRDs of the version the chart targets: the authority for the KEDA kinds. */
export const kedaCrdDir = path.join(repoRoot, "tests", "QueueInference.Deployment.Tests", "TestData", "keda-v2.20.2");

const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
const crdValidators = new Map();
for (const file of readdirSync(kedaCrdDir).filter((f) => f.endsWith(".yaml"))) {
  const crd = parse(readFileSync(path.join(kedaCrdDir, file), "utf8"));
  for (const version of crd.spec.versions) {
    const schema = closeObjects(structuredClone(version.schema.openAPIV3Schema));
    crdValidators.set(`${crd.spec.group}/${version.name} ${crd.spec.names.kind}`, ajv.compile(schema));
  }
}

/** Marks every object schema that lists its properties as closed, unless it opts out as Kubernetes does. */
function closeObjects(schema) {
  if (schema === null || typeof schema !== "object") {
    return schema;
  }
  if (schema.properties && schema.additionalProperties === undefined && !schema["x-kubernetes-preserve-unknown-fields"]) {
    schema.additionalProperties = false;
  }
  for (const value of Object.values(schema)) {
    if (Array.isArray(value)) {
      value.forEach(closeObjects);
    } else {
      closeObjects(value);
    }
  }
  return schema;
}

/**
 * Problems of one object ("path: message"), empty when valid. The model's validator checks types,
 * required fields, enums and formats (quantities, ports); it reads every property its schema knows,
 * so a property of the object that it never read is one the schema does not have.
 */
export async function validate(object) {
  const { apiVersion, kind } = object ?? {};
  const moduleOf = modelModules[apiVersion];
  if (!moduleOf || !kind) {
    return [`(root): no schema for apiVersion '${apiVersion}' kind '${kind}'`];
  }
  let model;
  try {
    model = (await import(moduleOf(kind)))[kind];
  } catch {
    return [`(root): no schema for apiVersion '${apiVersion}' kind '${kind}'`];
  }
  const problems = [];
  const reads = [];
  try {
    model.prototype.validate.call(track(object, "", reads));
  } catch (error) {
    problems.push(...String(error.message).split(", ").map((m) => m.replace(/^data\/?/, "").replaceAll("/", ".")));
  }
  for (const { path: at, target, seen } of reads) {
    for (const key of Object.keys(target).filter((k) => !seen.has(k))) {
      problems.push(`${at ? `${at}.` : ""}${key}: unknown field`);
    }
  }
  const crd = crdValidators.get(`${apiVersion} ${kind}`);
  if (crd && !crd(object)) {
    for (const error of crd.errors) {
      const extra = error.keyword === "additionalProperties" ? `.${error.params.additionalProperty}: unknown field (KEDA CRD)` : `: ${error.message} (KEDA CRD)`;
      problems.push(`${error.instancePath.slice(1).replaceAll("/", ".") || "(root)"}${extra}`);
    }
  }
  return problems;
}

/** A proxy of every object in the tree that records which properties the validator reads. */
function track(value, at, reads) {
  if (value === null || typeof value !== "object") {
    return value;
  }
  const seen = new Set();
  const copy = Array.isArray(value)
    ? value.map((item, i) => track(item, `${at}[${i}]`, reads))
    : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, track(v, at ? `${at}.${k}` : k, reads)]));
  if (!Array.isArray(value)) {
    reads.push({ path: at, target: value, seen });
  }
  return new Proxy(copy, {
    get(target, property, receiver) {
      if (typeof property === "string") {
        seen.add(property);
      }
      return Reflect.get(target, property, receiver);
    },
    has(target, property) {
      if (typeof property === "string") {
        seen.add(property);
      }
      return Reflect.has(target, property);
    },
  });
}
