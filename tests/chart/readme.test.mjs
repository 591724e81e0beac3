// charts/queue-inference/README.md's "Parameters" section is generated from the `## @param` comments of
// values.yaml by @bitnami/readme-generator-for-helm; this fails when the committed README is stale or the
// comments do not satisfy the generator (every value documented, [object]/[array] modifiers where needed).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { chartDir } from "./lib/chart.mjs";

const generator = createRequire(import.meta.url).resolve("@bitnami/readme-generator-for-helm/bin/index.js");
const readme = path.join(chartDir, "README.md");

test("the chart README's Parameters section is what readme-generator-for-helm makes of values.yaml", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "chart-readme-"));
  try {
    const regenerated = path.join(dir, "README.md");
    copyFileSync(readme, regenerated);
    const run = spawnSync(process.execPath, [generator, "--values", path.join(chartDir, "values.yaml"), "--readme", regenerated], { encoding: "utf8" });
    assert.equal(run.status, 0, `readme-generator-for-helm failed:\n${run.stdout}\n${run.stderr}`);
    const committed = readFileSync(readme, "utf8").split("\n");
    const expected = readFileSync(regenerated, "utf8").split("\n");
    const line = expected.findIndex((text, i) => text !== committed[i]);
    const at = line === -1 && committed.length !== expected.length ? Math.min(committed.length, expected.length) : line;
    assert.ok(at === -1,
      `charts/queue-inference/README.md is stale from line ${at + 1} (run scripts/check-chart.sh --update-readme):\n` +
      `  committed: ${committed[at] ?? "(end of file)"}\n  generated: ${expected[at] ?? "(end of file)"}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
