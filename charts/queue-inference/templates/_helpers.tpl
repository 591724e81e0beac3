{{/*
Chart name, at most 63 characters (the DNS label limit of Kubernetes names).
*/}}
{{- define "queue-inference.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name "<release>-<chart>", or the release name alone when it already contains the chart name.
*/}}
{{- define "queue-inference.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
"<name>-<version>" for the helm.sh/chart label ("+" is not allowed in label values).
*/}}
{{- define "queue-inference.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels that select the pods; they must never change after the first install (Deployment selectors are immutable).
*/}}
{{- define "queue-inference.selectorLabels" -}}
app.kubernetes.io/name: {{ include "queue-inference.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Standard labels of every resource (https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/),
merged with commonLabels as one map, so a key is printed once: commonLabels may replace a standard label
(app.kubernetes.io/part-of, for example) but not a selector label, which would detach the pods from their
Deployment (use nameOverride instead).
*/}}
{{- define "queue-inference.labels" -}}
{{- $labels := dict
  "helm.sh/chart" (include "queue-inference.chart" .)
  "app.kubernetes.io/version" (toString .Chart.AppVersion)
  "app.kubernetes.io/component" (toString .Values.mode)
  "app.kubernetes.io/part-of" "queue-inference"
  "app.kubernetes.io/managed-by" .Release.Service }}
{{- $labels = merge (include "queue-inference.withoutSelectorKeys" (dict "labels" .Values.commonLabels "what" "commonLabels" "root" .) | fromYaml) $labels }}
{{- $labels = merge (include "queue-inference.selectorLabels" . | fromYaml) $labels }}
{{- toYaml $labels }}
{{- end }}

{{/*
Labels of the pods: the standard labels, commonLabels and podLabels in one map (podLabels win over the
first two, never over the selector labels).
*/}}
{{- define "queue-inference.podLabels" -}}
{{- $labels := include "queue-inference.labels" . | fromYaml }}
{{- $labels = merge (include "queue-inference.withoutSelectorKeys" (dict "labels" .Values.podLabels "what" "podLabels" "root" .) | fromYaml) $labels }}
{{- $labels = merge (include "queue-inference.selectorLabels" . | fromYaml) $labels }}
{{- toYaml $labels }}
{{- end }}

{{/*
A copy of (dict "labels" map "what" name "root" $) that fails when the map sets a selector label to
another value than the chart's: the Deployment's selector is immutable and must keep matching its pods.
*/}}
{{- define "queue-inference.withoutSelectorKeys" -}}
{{- $selector := include "queue-inference.selectorLabels" .root | fromYaml }}
{{- $result := dict }}
{{- range $key, $value := .labels }}
{{- if and (hasKey $selector $key) (ne (toString $value) (get $selector $key)) }}
{{- fail (printf "%s must not set the selector label %s (to %q; the chart sets %q): set nameOverride instead" $.what $key (toString $value) (get $selector $key)) }}
{{- end }}
{{- $_ := set $result $key (toString $value) }}
{{- end }}
{{- toYaml $result }}
{{- end }}

{{/*
The mode, checked here as well as in values.schema.json: chart-render and `helm template --skip-schema-validation` skip the schema.
*/}}
{{- define "queue-inference.mode" -}}
{{- if not (has .Values.mode (list "worker" "functions")) }}
{{- fail (printf "mode must be worker or functions, not %q" (toString .Values.mode)) }}
{{- end }}
{{- .Values.mode }}
{{- end }}

{{/*
The settings block of the selected mode (.Values.worker or .Values.functions).
*/}}
{{- define "queue-inference.modeValues" -}}
{{- toYaml (index .Values (include "queue-inference.mode" .)) }}
{{- end }}

{{/*
Image reference; the tag defaults to "<appVersion>-<mode>" because the Dockerfile builds one target per mode.
*/}}
{{- define "queue-inference.image" -}}
{{- $repository := .Values.image.repository }}
{{- if .Values.image.registry }}
{{- $repository = printf "%s/%s" .Values.image.registry .Values.image.repository }}
{{- end }}
{{- if .Values.image.digest }}
{{- printf "%s@%s" $repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" $repository (default (printf "%s-%s" .Chart.AppVersion (include "queue-inference.mode" .)) .Values.image.tag) }}
{{- end }}
{{- end }}

{{/*
Name of the ServiceAccount the pods use.
*/}}
{{- define "queue-inference.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "queue-inference.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Name of the Secret with the broker credentials: the user's, or the one this chart creates.
*/}}
{{- define "queue-inference.secretName" -}}
{{- default (printf "%s-rabbitmq" (include "queue-inference.fullname" .)) .Values.rabbitmq.existingSecret }}
{{- end }}

{{/*
The port the container listens on: the worker serves its probes and /metrics on Observability:Port;
the Functions host listens on functions.port.
*/}}
{{- define "queue-inference.containerPort" -}}
{{- if eq (include "queue-inference.mode" .) "worker" }}
{{- int64 .Values.config.Observability.Port }}
{{- else }}
{{- int64 .Values.functions.port }}
{{- end }}
{{- end }}

{{/*
Configuration sections only the worker reads; not rendered in functions mode, where they would mislead.
Observability is not among them: the Functions worker process serves /metrics on Observability:Port too.
*/}}
{{- define "queue-inference.workerOnlySections" -}}
{{- list "Consumer" | join " " }}
{{- end }}

{{/*
Turns the nested `config` map into env vars named like .NET configuration keys ("Section__Key"),
which both hosts read. Integral numbers are printed as integers: Go would print 1000000 as 1e+06,
which .NET cannot bind to an int; fractions (IoStep.FailureRate) keep their decimals. Empty values
are skipped so the app's default applies.
Call with (dict "prefix" "" "map" .Values.config "skip" list-of-env-var-names); a skipped name
drops that key and, for a section, everything beneath it.
*/}}
{{- define "queue-inference.configEnv" -}}
{{- $prefix := .prefix }}
{{- $map := .map }}
{{- $skip := .skip }}
{{- range $key := keys $map | sortAlpha }}
{{- $value := index $map $key }}
{{- $name := ternary $key (printf "%s__%s" $prefix $key) (eq $prefix "") }}
{{- if has $name $skip }}
{{- else if kindIs "map" $value }}
{{- include "queue-inference.configEnv" (dict "prefix" $name "map" $value "skip" $skip) }}
{{- else if and (kindIs "float64" $value) (ne (float64 $value) (floor $value)) }}
- name: {{ $name }}
  value: {{ toString $value | quote }}
{{- else if or (kindIs "float64" $value) (kindIs "int64" $value) (kindIs "int" $value) }}
- name: {{ $name }}
  value: {{ int64 $value | toString | quote }}
{{- else if and (not (kindIs "invalid" $value)) (ne (toString $value) "") }}
- name: {{ $name }}
  value: {{ toString $value | quote }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Seconds in a duration as the app reads it: "25s", "500ms", "1m", "1h", or "hh:mm:ss" / "d.hh:mm:ss" (fractions ignored).
*/}}
{{- define "queue-inference.timeSpanSeconds" -}}
{{- $text := toString . }}
{{- if eq $text "0" }}
{{- 0 }}
{{- else if regexMatch "^[0-9]+(\\.[0-9]+)?(ms|s|m|h)$" $text }}
{{- $unit := regexFind "(ms|s|m|h)$" $text }}
{{- $scale := get (dict "ms" 0.001 "s" 1.0 "m" 60.0 "h" 3600.0) $unit }}
{{- mulf (trimSuffix $unit $text | float64) $scale | floor | int }}
{{- else }}
{{- $parts := splitList ":" $text }}
{{- if ne (len $parts) 3 }}
{{- fail (printf "%q is not a duration: write 500ms, 3s, 1m, 1h or hh:mm:ss" $text) }}
{{- end }}
{{- $hours := index $parts 0 }}
{{- $days := 0 }}
{{- if contains "." $hours }}
{{- $days = atoi (index (splitList "." $hours) 0) }}
{{- $hours = index (splitList "." $hours) 1 }}
{{- end }}
{{- $seconds := atoi (index (splitList "." (index $parts 2)) 0) }}
{{- add (mul $days 86400) (mul (atoi $hours) 3600) (mul (atoi (index $parts 1)) 60) $seconds }}
{{- end }}
{{- end }}

{{/*
KEDA's target per pod (`value`). 0 takes the mode's entry of keda.recommended: the scale planner's
recommendation for that host (docs/scale-planning.md). One shared number cannot fit both hosts: a
worker pod finishes thousands of messages per second, a Functions pod (one invocation at a time) one per I/O wait.
*/}}
{{- define "queue-inference.kedaValue" -}}
{{- if gt (int64 .Values.keda.value) 0 }}
{{- int64 .Values.keda.value }}
{{- else }}
{{- int64 (index .Values.keda.recommended (include "queue-inference.mode" .)).value }}
{{- end }}
{{- end }}

{{/*
KEDA's `maxReplicaCount`. 0 takes the mode's entry of keda.recommended, for the same reason as the value:
the pods a load needs differ by orders of magnitude between the hosts.
*/}}
{{- define "queue-inference.kedaMaxReplicaCount" -}}
{{- if gt (int64 .Values.keda.maxReplicaCount) 0 }}
{{- int64 .Values.keda.maxReplicaCount }}
{{- else }}
{{- int64 (index .Values.keda.recommended (include "queue-inference.mode" .)).maxReplicaCount }}
{{- end }}
{{- end }}

{{/*
The request queues as a JSON array: config.RabbitMQ.RequestQueue split at commas, as the app splits it
(RabbitMQOptions.RequestQueues). Several are partitions of one stream, consumed by the worker host only:
the Functions trigger takes one queue name.
*/}}
{{- define "queue-inference.requestQueues" -}}
{{- $queues := list }}
{{- range splitList "," (toString .Values.config.RabbitMQ.RequestQueue) }}
{{- if trim . }}
{{- $queues = append $queues (trim .) }}
{{- end }}
{{- end }}
{{- if not $queues }}
{{- fail "config.RabbitMQ.RequestQueue must name at least one queue" }}
{{- end }}
{{- if and (gt (len $queues) 1) (eq (include "queue-inference.mode" .) "functions") }}
{{- fail (printf "config.RabbitMQ.RequestQueue lists %d partitions; the Functions trigger consumes one queue, so partitions need mode worker" (len $queues)) }}
{{- end }}
{{- toJson $queues }}
{{- end }}

{{/*
An anchored regex matching exactly the request queues, for KEDA's useRegex: RabbitMQ's management API
matches the name filter anywhere in a queue's name, and q.0 would otherwise also match q.0.dead.
*/}}
{{- define "queue-inference.requestQueueRegex" -}}
{{- $quoted := list }}
{{- range include "queue-inference.requestQueues" . | fromJsonArray }}
{{- $quoted = append $quoted (regexQuoteMeta .) }}
{{- end }}
{{- printf "^(%s)$" (join "|" $quoted) }}
{{- end }}

{{/*
Trigger names for partitions over AMQP, one per queue, usable as identifiers in KEDA's formula.
*/}}
{{- define "queue-inference.partitionTriggerNames" -}}
{{- $names := list }}
{{- range $index, $queue := include "queue-inference.requestQueues" . | fromJsonArray }}
{{- $names = append $names (printf "partition%d" $index) }}
{{- end }}
{{- toJson $names }}
{{- end }}

{{/*
Trigger metadata every rabbitmq trigger of the ScaledObject shares (the queue name aside).
*/}}
{{- define "queue-inference.triggerMetadata" -}}
protocol: {{ .Values.keda.protocol }}
mode: QueueLength
{{- /* keda.value, or the mode's planner recommendation: "queue-inference.kedaValue". */}}
value: {{ include "queue-inference.kedaValue" . | quote }}
activationValue: {{ int64 .Values.keda.activationValue | toString | quote }}
{{- if eq .Values.keda.protocol "http" }}
{{- /* Count unacked (in-flight) messages too: a busy pod's work stays visible, so KEDA neither under-counts nor scales it away. */}}
excludeUnacknowledged: "false"
{{- end }}
{{- with .Values.keda.vhostName }}
vhostName: {{ . | quote }}
{{- end }}
{{- if eq (include "queue-inference.kedaUnsafeSsl" .) "true" }}
{{- /* Trigger metadata, not an authentication parameter: KEDA reads unsafeSsl from here only. */}}
unsafeSsl: "true"
{{- end }}
{{- end }}

{{/*
"true" when KEDA's scaler skips verification of the broker's certificate: keda.tls.unsafeSsl, or, when
that is null, the app's own config.RabbitMQ.TlsAllowInvalidCertificates, so that a broker the app is told
to trust without validation is one KEDA can read too.
*/}}
{{- define "queue-inference.kedaUnsafeSsl" -}}
{{- if kindIs "invalid" .Values.keda.tls.unsafeSsl }}
{{- toString (default false .Values.config.RabbitMQ.TlsAllowInvalidCertificates) }}
{{- else }}
{{- toString .Values.keda.tls.unsafeSsl }}
{{- end }}
{{- end }}

{{/*
"true" when the TriggerAuthentication passes `tls: enable`: asked for, or needed for unsafeSsl to take
effect over AMQP (KEDA applies its TLS settings to an amqps:// connection only with tls enabled).
*/}}
{{- define "queue-inference.kedaTls" -}}
{{- toString (or .Values.keda.tls.enabled (eq (include "queue-inference.kedaUnsafeSsl" .) "true")) }}
{{- end }}

{{/*
Env vars of a container that only talks to the broker (the init container, the helm test pod): the
connection string from the Secret and the RabbitMQ section of `config`.
*/}}
{{- define "queue-inference.brokerEnv" -}}
- name: RabbitMQ__ConnectionString
  valueFrom:
    secretKeyRef:
      name: {{ include "queue-inference.secretName" . }}
      key: {{ .Values.rabbitmq.secretKeys.connectionString }}
{{ include "queue-inference.configEnv" (dict "prefix" "RabbitMQ" "map" .Values.config.RabbitMQ "skip" list) | trim }}
{{- end }}
