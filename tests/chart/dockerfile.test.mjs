// The Dockerfile's pins and the Functions image settings the chart relies on (issue 16, items 5 and 6).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { parse } from "yaml";
import { chartDir, repoRoot } from "./lib/chart.mjs";

const dockerfile = readFileSync(path.join(repoRoot, "Dockerfile"), "utf8");
const lines = dockerfile.split("\n");
const digest = /@sha256:[0-9a-f]{64}\b/;
// The one base image whose digest could not be looked up here; the Dockerfile says so above its FROM.
const unpinned = "mcr.microsoft.com/azure-functions/dotnet-isolated:4-dotnet-isolated10.0";

test("the first line selects the Dockerfile frontend, pinned by digest (the file uses COPY --link)", () => {
  assert.match(lines[0], /^# syntax=docker\/dockerfile:1(\.\d+){0,2}@sha256:[0-9a-f]{64}$/);
});

test("every external base image is pinned by digest, with the bump procedure written down", () => {
  const stages = new Set();
  for (const line of lines.filter((l) => l.startsWith("FROM "))) {
    const [, image, stage] = line.match(/^FROM (?:--platform=\S+ )?(\S+)(?: AS (\S+))?$/);
    if (!stages.has(image) && image !== unpinned) {
      assert.match(image, digest, line);
    }
    stages.add(stage);
  }
  assert.match(dockerfile, /To bump one .*docker buildx imagetools inspect/s);
  // Each pin says where its digest was read, so a reviewer can check it against that source.
  const provenance = dockerfile.slice(dockerfile.indexOf("# Where the pins come from"), dockerfile.indexOf("\nFROM "));
  const pinned = [lines[0].slice("# syntax=".length), ...lines.filter((l) => l.startsWith("FROM ")).map((l) => l.split(" ").find((w) => w.includes("@sha256:")))]
    .filter(Boolean).map((image) => image.slice(0, image.indexOf("@")).replace(/^mcr\.microsoft\.com\//, ""));
  assert.ok(pinned.length >= 3, `pins found: ${pinned}`);
  for (const image of pinned) {
    assert.ok(provenance.includes(image), `the Dockerfile does not say where the digest of ${image} comes from`);
  }
  const unpinnedAt = lines.findIndex((l) => l.includes(` ${unpinned} `));
  assert.match(lines.slice(unpinnedAt - 3, unpinnedAt).join("\n"), /NOT PINNED BY DIGEST/);
});

test("the functions image runs as the chart's non-root UID on the chart's functions.port", () => {
  const values = parse(readFileSync(path.join(chartDir, "values.yaml"), "utf8"));
  const functionsStage = dockerfile.slice(dockerfile.indexOf(` AS functions\n`));
  const stage = functionsStage.slice(0, functionsStage.indexOf("\nFROM "));
  assert.match(stage, new RegExp(`^USER ${values.functions.podSecurityContext.runAsUser}$`, "m"));
  assert.match(stage, new RegExp(`ASPNETCORE_URLS=http://\\+:${values.functions.port}\\b`));
  assert.ok(values.functions.port > 1024);
});

test("the worker image's command and the helm test's command run the executable the worker stage ships", () => {
  const values = parse(readFileSync(path.join(chartDir, "values.yaml"), "utf8"));
  const workerStage = dockerfile.slice(dockerfile.indexOf(" AS worker\n"));
  const workdir = workerStage.match(/^WORKDIR (\S+)$/m)[1];
  const entrypoint = JSON.parse(workerStage.match(/^ENTRYPOINT (\[.*\])$/m)[1]);
  // The image's own start command, resolved against its WORKDIR, as Kubernetes would run it.
  const resolve = (command) => command.map((word) => (word.startsWith("./") || (!word.startsWith("/") && word.endsWith(".dll")) ? path.posix.join(workdir, word) : word));
  assert.deepEqual(resolve(values.worker.command), resolve(entrypoint));
  assert.deepEqual(resolve(values.worker.toolCommand), resolve(entrypoint));
});
