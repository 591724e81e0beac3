// The fixes of issue 16, each shown on the manifests real Helm renders, and the values the chart refuses.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import path from "node:path";
import { find, parseManifests, template, tryTemplate, valueSetDir } from "./lib/chart.mjs";

const set = (name) => path.join(valueSetDir, `${name}-values.yaml`);
const render = (values) => parseManifests(template(values));
const container = (objects) => find(objects, "Deployment").spec.template.spec.containers[0];
const env = (c) => Object.fromEntries(c.env.filter((e) => "value" in e).map((e) => [e.name, e.value]));

/** helm template must fail, and say why. */
function refused(values, reason) {
  const { status, stderr } = tryTemplate(values);
  assert.notEqual(status, 0, `helm template accepted ${JSON.stringify(values)}`);
  assert.match(stderr, reason);
}

describe("1. KEDA's scaler over TLS", () => {
  test("tls: tls enable from the chart's ConfigMap, CA, client certificate, key and password from the named Secret", () => {
    const objects = render({ files: [set("tls")] });
    const auth = find(objects, "TriggerAuthentication");
    assert.deepEqual(auth.spec.secretTargetRef, [
      { parameter: "host", name: "queue-inference-rabbitmq", key: "management-url" },
      { parameter: "ca", name: "rabbitmq-client-tls", key: "ca.crt" },
      { parameter: "cert", name: "rabbitmq-client-tls", key: "tls.crt" },
      { parameter: "key", name: "rabbitmq-client-tls", key: "tls.key" },
      { parameter: "keyPassword", name: "rabbitmq-client-tls", key: "key-password" },
    ]);
    assert.deepEqual(auth.spec.configMapTargetRef, [{ parameter: "tls", name: "queue-inference-keda", key: "tls" }]);
    assert.deepEqual(find(objects, "ConfigMap", "queue-inference-keda").data, { tls: "enable" });
    assert.equal(find(objects, "ScaledObject").spec.triggers[0].metadata.unsafeSsl, undefined);
  });

  test("a broker the app may not validate (TlsAllowInvalidCertificates) is one KEDA may not validate either", () => {
    const objects = render({ files: [set("tls-unverified")] });
    assert.equal(find(objects, "ScaledObject").spec.triggers[0].metadata.unsafeSsl, "true");
    assert.deepEqual(find(objects, "TriggerAuthentication").spec.configMapTargetRef, [{ parameter: "tls", name: "queue-inference-keda", key: "tls" }]);
  });

  test("keda.tls.unsafeSsl=false overrides TlsAllowInvalidCertificates; the defaults pass no TLS parameter", () => {
    const overridden = render({ set: ["config.RabbitMQ.TlsAllowInvalidCertificates=true", "keda.tls.unsafeSsl=false"] });
    assert.equal(find(overridden, "ScaledObject").spec.triggers[0].metadata.unsafeSsl, undefined);
    const defaults = render({});
    assert.equal(find(defaults, "TriggerAuthentication").spec.configMapTargetRef, undefined);
    assert.equal(defaults.filter((o) => o.kind === "ConfigMap").length, 0);
  });

  test("a client certificate without its key is refused", () => {
    refused({ set: ["keda.tls.enabled=true", "keda.tls.secretKeys.cert=tls.crt"] }, /cert and keda\.tls\.secretKeys\.key go together/);
  });
});

describe("2. labels never duplicate", () => {
  test("commonLabels and podLabels replace a standard label instead of repeating it", () => {
    // parseManifests refuses duplicate keys, so rendering at all proves each key is printed once.
    const objects = render({ set: ["commonLabels.app\\.kubernetes\\.io/part-of=platform", "podLabels.app\\.kubernetes\\.io/part-of=pods", "metrics.serviceMonitor.enabled=true", "metrics.serviceMonitor.labels.app\\.kubernetes\\.io/part-of=monitoring"] });
    assert.equal(find(objects, "Deployment").metadata.labels["app.kubernetes.io/part-of"], "platform");
    assert.equal(find(objects, "Deployment").spec.template.metadata.labels["app.kubernetes.io/part-of"], "pods");
    assert.equal(find(objects, "ServiceMonitor").metadata.labels["app.kubernetes.io/part-of"], "monitoring");
  });

  test("a selector label in podLabels or commonLabels is refused: the pods would leave their Deployment", () => {
    refused({ set: ["podLabels.app\\.kubernetes\\.io/name=other"] }, /podLabels must not set the selector label app\.kubernetes\.io\/name/);
    refused({ set: ["commonLabels.app\\.kubernetes\\.io/instance=other"] }, /commonLabels must not set the selector label app\.kubernetes\.io\/instance/);
  });
});

describe("4. the schema types the Kubernetes-shaped values", () => {
  for (const [values, reason] of [
    [{ set: ["resources.requests.cpu=lots"] }, /resources\/requests\/cpu/],
    [{ set: ["keda.behavior.scaleUp.selectPolicy=Sometimes"] }, /keda\/behavior\/scaleUp\/selectPolicy/],
    [{ set: ["keda.behavior.scaleDown.policies[0].type=Seconds"] }, /keda\/behavior\/scaleDown\/policies\/0\/type/],
    [{ set: ["worker.livenessProbe.periodSecond=5"] }, /worker\/livenessProbe/],
    [{ set: ["worker.containerSecurityContext.readOnlyRootFileSystem=true"] }, /worker\/containerSecurityContext/],
    [{ set: ["functions.podSecurityContext.runAsUser=-1"] }, /functions\/podSecurityContext\/runAsUser/],
    [{ setJson: ['tolerations=[{"key":"a","operator":"Maybe"}]'] }, /tolerations\/0\/operator/],
    [{ setJson: ['extraVolumeMounts=[{"name":"x"}]'] }, /extraVolumeMounts\/0/],
    [{ set: ["config.IoStep.FailureRate=1.5"] }, /config\/IoStep\/FailureRate/],
  ]) {
    test(`refuses ${JSON.stringify(values.set ?? values.setJson)}`, () => refused(values, reason));
  }

  test("--set config.IoStep.FailureRate=0.05 (a string to --set) renders IoStep__FailureRate 0.05", () => {
    assert.equal(env(container(render({ set: ["config.IoStep.FailureRate=0.05"] }))).IoStep__FailureRate, "0.05");
    assert.equal(env(container(render({ setJson: ["config.IoStep.FailureRate=0.05"] }))).IoStep__FailureRate, "0.05");
  });
});

describe("5. Functions mode runs as non-root on a port above 1024, read-only root filesystem", () => {
  // Rendered in each test, so that a render failure fails a test rather than the suite's body.
  const functionsPod = () => find(render({ files: [set("functions")] }), "Deployment").spec.template.spec;

  test("the pod runs as UID 1654, non-root, with no added capability; the init container too", () => {
    const pod = functionsPod();
    const functions = pod.containers[0];
    assert.equal(pod.securityContext.runAsNonRoot, true);
    assert.equal(pod.securityContext.runAsUser, 1654);
    assert.deepEqual(functions.securityContext.capabilities, { drop: ["ALL"] });
    assert.equal(functions.securityContext.readOnlyRootFilesystem, true);
    assert.equal(functions.securityContext.allowPrivilegeEscalation, false);
    assert.deepEqual(pod.initContainers[0].securityContext, functions.securityContext);
  });

  test("the host listens on 8081 (ASPNETCORE_URLS), its writable paths are emptyDirs", () => {
    const pod = functionsPod();
    const functions = pod.containers[0];
    assert.equal(env(functions).ASPNETCORE_URLS, "http://+:8081");
    assert.deepEqual(functions.ports.map((p) => [p.name, p.containerPort]), [["http", 8081], ["metrics", 8080]]);
    assert.deepEqual(functions.volumeMounts.map((m) => m.mountPath), ["/tmp", "/home/data", "/home/LogFiles"]);
    assert.ok(pod.volumes.filter((v) => v.name.startsWith("writable-")).every((v) => v.emptyDir));
  });

  test("a port below 1025 is refused", () => refused({ files: [set("functions")], set: ["functions.port=80"] }, /functions\/port/));
});

describe("7. the grace period covers the worker host's shutdown timeout (drain + 10 s)", () => {
  test("35 s with the 25 s drain is refused, 36 s renders", () => {
    refused({ set: ["terminationGracePeriodSeconds=35"] }, /must exceed the worker's shutdown timeout, config\.Consumer\.DrainTimeout \+ 10 s \(35 s\)/);
    assert.equal(find(render({ set: ["terminationGracePeriodSeconds=36"] }), "Deployment").spec.template.spec.terminationGracePeriodSeconds, 36);
  });

  test("a longer drain needs a longer grace period", () => {
    refused({ set: ["config.Consumer.DrainTimeout=00:01:00", "terminationGracePeriodSeconds=65"] }, /\(70 s\)/);
  });
});

describe("8. partitions: the ScaledObject scales on the sum of the request queues", () => {
  test("http: one trigger, an anchored regex of exactly the partitions, operation sum", () => {
    const trigger = find(render({ files: [set("partitions-http")] }), "ScaledObject").spec.triggers;
    assert.equal(trigger.length, 1);
    const { metadata } = trigger[0];
    assert.equal(metadata.useRegex, "true");
    assert.equal(metadata.operation, "sum");
    assert.equal(metadata.queueName, "^(requests\\.0|requests\\.1|requests\\.2)$");
    const regex = new RegExp(metadata.queueName);
    assert.deepEqual(["requests.0", "requests.1", "requests.2"].filter((q) => regex.test(q)).length, 3);
    assert.deepEqual(["requests.0.dead", "requests.1.retry.1000", "requestsX0", "request_queue"].filter((q) => regex.test(q)), []);
  });

  test("amqp: one trigger per queue, added up by a scaling modifier with the chart's value as target", () => {
    const scaledObject = find(render({ files: [set("partitions-amqp")] }), "ScaledObject");
    assert.deepEqual(scaledObject.spec.triggers.map((t) => [t.name, t.metadata.queueName]),
      [["partition0", "requests.0"], ["partition1", "requests.1"], ["partition2", "requests.2"]]);
    assert.deepEqual(scaledObject.spec.advanced.scalingModifiers,
      { formula: "partition0 + partition1 + partition2", target: "200000", activationTarget: "0", metricType: "AverageValue" });
  });

  test("one queue keeps the plain trigger; partitions in functions mode are refused", () => {
    const { metadata } = find(render({}), "ScaledObject").spec.triggers[0];
    assert.equal(metadata.queueName, "request_queue");
    assert.equal(metadata.useRegex, undefined);
    refused({ files: [set("functions"), set("partitions-http")] }, /partitions need mode worker/);
  });
});

describe("9. the Functions deployment", () => {
  test("an init container declares the request queue with the app's own command before the host starts", () => {
    const pod = find(render({ files: [set("functions")] }), "Deployment").spec.template.spec;
    const [init] = pod.initContainers;
    assert.deepEqual(init.command, ["dotnet", "/home/site/wwwroot/QueueInference.FunctionApp.dll", "declare-request-queue"]);
    assert.equal(env(init).RabbitMQ__RequestQueue, "request_queue");
    assert.deepEqual(init.env[0], { name: "RabbitMQ__ConnectionString", valueFrom: { secretKeyRef: { name: "queue-inference-rabbitmq", key: "connection-string" } } });
    assert.equal(find(render({}), "Deployment").spec.template.spec.initContainers, undefined, "the worker declares its queues itself");
  });

  test("the trigger's disableCertificateValidation follows RabbitMQ:TlsAllowInvalidCertificates", () => {
    const key = "AzureFunctionsJobHost__extensions__rabbitMQ__disableCertificateValidation";
    assert.equal(env(container(render({ files: [set("functions")] })))[key], "false");
    assert.equal(env(container(render({ files: [set("tls-unverified")] })))[key], "true");
  });
});

describe("helm test", () => {
  for (const mode of ["worker", "functions"]) {
    test(`${mode}: a test-hook pod runs probe-reply in the app's image, outside the Deployment's selector`, () => {
      const objects = render({ set: [`mode=${mode}`] });
      const pod = find(objects, "Pod");
      assert.equal(pod.metadata.annotations["helm.sh/hook"], "test");
      assert.equal(pod.spec.restartPolicy, "Never");
      assert.deepEqual(pod.spec.containers[0].command.slice(-3), ["probe-reply", "--timeout", "2m"]);
      assert.equal(pod.spec.containers[0].image, `queue-inference:0.1.0-${mode}`);
      const selector = find(objects, "Deployment").spec.selector.matchLabels;
      assert.ok(Object.entries(selector).some(([k, v]) => pod.metadata.labels[k] !== v), "the test pod must not match the Deployment's selector");
    });
  }

  test("the probe gets the app's Transformation settings, so a Features-mode app is not checked against the seed value", () => {
    const probeEnv = (values) => env(find(render(values), "Pod").spec.containers[0]);
    assert.deepEqual(
      Object.entries(probeEnv({})).filter(([name]) => name.startsWith("Transformation__")),
      [["Transformation__Iterations", "100000"], ["Transformation__Mode", "Fast"]]);
    assert.equal(probeEnv({ set: ["config.Transformation.Mode=Features"] }).Transformation__Mode, "Features");
    assert.equal(probeEnv({ set: ["config.Transformation.Iterations=5000"] }).Transformation__Iterations, "5000");
  });

  test("the probe's timeout takes the app's duration syntax; a bare number or 0 is refused", () => {
    assert.deepEqual(find(render({ set: ["tests.replyProbe.timeout=3m"] }), "Pod").spec.containers[0].command.slice(-2), ["--timeout", "3m"]);
    refused({ setString: ["tests.replyProbe.timeout=3"] }, /tests\/replyProbe\/timeout/);
    refused({ setString: ["tests.replyProbe.timeout=0"] }, /tests\/replyProbe\/timeout/);
  });
});
