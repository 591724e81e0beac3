{{/*
The rule groups of the PrometheusRule (templates/prometheusrule.yaml); monitoring/alerts.yaml is the same
groups rendered with the chart's defaults for the release `queue-inference` (a chart test compares them).
Names are the worker's own /metrics names (prometheus-net exports its counters without a _total suffix);
kube_horizontalpodautoscaler_* come from kube-state-metrics (v2 names, label horizontalpodautoscaler) and
keda_scaler_metrics_value from the KEDA operator's /metrics (labels scaledObject, scaler, metric, triggerIndex).
What each alert means and what to do: docs/operations.md.
*/}}
{{- define "queue-inference.ruleGroups" -}}
{{- $rules := .Values.prometheusRule }}
{{- $matchers := toString $rules.selector }}
{{- $and := ternary (printf ",%s" $matchers) "" (ne $matchers "") }}
{{- $only := ternary (printf "{%s}" $matchers) "" (ne $matchers "") }}
{{- $scaledObject := include "queue-inference.fullname" . }}
{{- $hpa := printf "keda-hpa-%s" $scaledObject }}
{{- if gt (float64 $rules.pickUpWait.seconds) 60.0 }}
{{- fail (printf "prometheusRule.pickUpWait.seconds (%v) must not exceed 60: the worker's stage histogram has no bucket above 60 s" $rules.pickUpWait.seconds) }}
{{- end }}
{{- $extra := $rules.alertLabels }}
{{- /* The Functions host has its own consumer: it records no connection, in-flight limit, pause, ack or receipt. */}}
{{- $worker := eq (include "queue-inference.mode" .) "worker" }}
groups:
  - name: queue-inference.recording
    rules:
      {{- if $worker }}
      - record: queueinference:requests_received:rate5m
        expr: sum by (namespace) (rate(queueinference_requests_received{{ $only }}[5m]))
      - record: queueinference:requests_retried:rate5m
        expr: sum by (namespace) (rate(queueinference_requests_retried{{ $only }}[5m]))
      {{- end }}
      - record: queueinference:requests_dead_lettered:increase10m
        expr: sum by (namespace, reason) (increase(queueinference_requests_dead_lettered{{ $only }}[10m]))
      - record: queueinference:pick_up_wait_seconds:p99_5m
        expr: histogram_quantile(0.99, sum by (namespace, le) (rate(queueinference_stage_duration_bucket{stage="pick_up_wait"{{ $and }}}[5m])))
      {{- if .Values.keda.enabled }}
      - record: queueinference:keda_queue_length:deriv10m
        expr: sum by (scaledObject) (deriv(keda_scaler_metrics_value{scaledObject="{{ $scaledObject }}"}[10m]))
      {{- end }}
  - name: queue-inference.alerts
    rules:
      {{- if $worker }}
      - alert: QueueInferenceConsumerStalled
        expr: (queueinference_requests_in_flight{{ $only }} > 0) unless ignoring (stage) (rate(queueinference_stage_duration_count{stage="ack"{{ $and }}}[5m]) > 0)
        for: {{ $rules.consumerStalled.for }}
        labels:
          {{- toYaml (merge (dict "severity" "critical") $extra) | nindent 10 }}
        annotations:
          summary: {{ `Worker {{ $labels.instance }} holds requests but has acked none for 5 minutes` | quote }}
          description: {{ `{{ $value }} requests in flight on {{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.instance }}) and no ack in the last 5 minutes: the pipeline is wedged. /health/live fails after Observability:StallTimeout, so the kubelet should have restarted it. See docs/operations.md#queueinferenceconsumerstalled.` | quote }}
      - alert: QueueInferenceBrokerDisconnected
        expr: queueinference_consumer_connected{{ $only }} == 0
        for: {{ $rules.brokerDisconnected.for }}
        labels:
          {{- toYaml (merge (dict "severity" "critical") $extra) | nindent 10 }}
        annotations:
          summary: {{ `Worker {{ $labels.instance }} is not connected to RabbitMQ` | quote }}
          description: {{ printf `{{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.instance }}) has had no broker connection for %s; it keeps reconnecting, and /health/ready fails meanwhile. See docs/operations.md#queueinferencebrokerdisconnected.` $rules.brokerDisconnected.for | quote }}
      {{- end }}
      - alert: QueueInferenceDeadLettersGrowing
        expr: queueinference:requests_dead_lettered:increase10m > {{ $rules.deadLetters.threshold }}
        for: {{ $rules.deadLetters.for }}
        labels:
          {{- toYaml (merge (dict "severity" "warning") $extra) | nindent 10 }}
        annotations:
          summary: {{ `Requests are being dead-lettered ({{ $labels.reason }})` | quote }}
          description: {{ `{{ $value | humanize }} requests dead-lettered with reason {{ $labels.reason }} in {{ $labels.namespace }} in the last 10 minutes. Inspect them with qi dlq list / inspect; replay once the cause is fixed. See docs/operations.md#queueinferencedeadlettersgrowing.` | quote }}
      {{- if $worker }}
      - alert: QueueInferenceRetryRateHigh
        expr: queueinference:requests_retried:rate5m / queueinference:requests_received:rate5m > {{ $rules.retryRate.threshold }}
        for: {{ $rules.retryRate.for }}
        labels:
          {{- toYaml (merge (dict "severity" "warning") $extra) | nindent 10 }}
        annotations:
          summary: {{ `Many requests fail and are retried` | quote }}
          description: {{ `{{ $value | humanizePercentage }} of the requests received in {{ $labels.namespace }} over 5 minutes were parked in a retry queue: the I/O step or inference is failing. queueinference_requests_failed names the exception. See docs/operations.md#queueinferenceretryratehigh.` | quote }}
      {{- end }}
      - alert: QueueInferencePickUpWaitAboveTarget
        expr: queueinference:pick_up_wait_seconds:p99_5m >= {{ $rules.pickUpWait.seconds }}
        for: {{ $rules.pickUpWait.for }}
        labels:
          {{- toYaml (merge (dict "severity" "warning") $extra) | nindent 10 }}
        annotations:
          summary: {{ `Requests wait in the queue longer than the scaling target` | quote }}
          description: {{ `The 99th percentile of the time from send_timestamp to pick-up in {{ $labels.namespace }} is {{ $value | humanizeDuration }} over 5 minutes, at or above the target the KEDA settings were planned for. See docs/operations.md#queueinferencepickupwaitabovetarget.` | quote }}
      {{- if $worker }}
      - alert: QueueInferencePodAtInFlightLimit
        expr: (queueinference_requests_in_flight{{ $only }} / queueinference_consumer_in_flight_limit{{ $only }} >= {{ $rules.inFlightLimit.ratio }}) and (queueinference_consumer_in_flight_limit{{ $only }} > 0)
        for: {{ $rules.inFlightLimit.for }}
        labels:
          {{- toYaml (merge (dict "severity" "warning") $extra) | nindent 10 }}
        annotations:
          summary: {{ `Worker {{ $labels.instance }} holds as many requests as it may` | quote }}
          description: {{ `{{ $labels.namespace }}/{{ $labels.pod }} holds {{ $value | humanizePercentage }} of its in-flight limit (queueinference_consumer_in_flight_limit: Consumer:MaxInFlight, or lower when its CPU is the bottleneck). See docs/operations.md#queueinferencepodatinflightlimit.` | quote }}
      {{- $budget := include "queue-inference.memoryBudgetBytes" . }}
      {{- if $budget }}
      - alert: QueueInferencePodNearMemoryBudget
        expr: queueinference_requests_in_flight_bytes{{ $only }} / {{ $budget }} >= {{ $rules.memoryBudget.ratio }}
        for: {{ $rules.memoryBudget.for }}
        labels:
          {{- toYaml (merge (dict "severity" "warning") $extra) | nindent 10 }}
        annotations:
          summary: {{ `Worker {{ $labels.instance }} holds requests close to its memory budget` | quote }}
          description: {{ printf `The requests {{ $labels.namespace }}/{{ $labels.pod }} holds take {{ $value | humanizePercentage }} of its memory budget (%s bytes: Consumer:MaxInFlightBytes, or 35 %% of the memory limit); it admits by bytes now, so large requests wait in the broker. See docs/operations.md#queueinferencepodnearmemorybudget.` $budget | quote }}
      {{- end }}
      {{- end }}
      {{- if .Values.keda.enabled }}
      - alert: QueueInferenceReplicasAtMaxBacklogGrowing
        expr: (max by (namespace, horizontalpodautoscaler) (kube_horizontalpodautoscaler_status_current_replicas{horizontalpodautoscaler="{{ $hpa }}"}) >= max by (namespace, horizontalpodautoscaler) (kube_horizontalpodautoscaler_spec_max_replicas{horizontalpodautoscaler="{{ $hpa }}"})) and on () (queueinference:keda_queue_length:deriv10m > 0)
        for: {{ $rules.replicasAtMax.for }}
        labels:
          {{- toYaml (merge (dict "severity" "critical") $extra) | nindent 10 }}
        annotations:
          summary: {{ `KEDA runs maxReplicaCount pods and the queue still grows` | quote }}
          description: {{ `{{ $labels.horizontalpodautoscaler }} has been at its maximum ({{ $value }} pods) while KEDA's queue length kept rising over 10 minutes: more arrives than the pods can take. See docs/operations.md#queueinferencereplicasatmaxbackloggrowing.` | quote }}
      {{- end }}
{{- end }}

{{/*
The worker's memory budget in bytes, as it computes it (Consumer:MaxInFlightBytes, or 35 % of the container's
memory limit), from the values: empty when neither is set (the budget then follows the node's memory).
Quantities: plain bytes, or with a suffix k, M, G, T (powers of 1000) or Ki, Mi, Gi, Ti (powers of 1024).
*/}}
{{- define "queue-inference.memoryBudgetBytes" -}}
{{- $configured := int64 (default 0 .Values.config.Consumer.MaxInFlightBytes) }}
{{- $limit := toString (dig "limits" "memory" "" (.Values.resources | default dict)) }}
{{- if gt $configured 0 }}
{{- $configured }}
{{- else if $limit }}
{{- $valid := regexMatch `^[0-9]+(\.[0-9]+)?(k|M|G|T|Ki|Mi|Gi|Ti)?$` $limit }}
{{- if not $valid }}
{{- fail (printf "resources.limits.memory %q: the alert rules need a quantity in bytes or with k, M, G, T, Ki, Mi, Gi or Ti" $limit) }}
{{- end }}
{{- $number := regexReplaceAll "^([0-9.]+).*$" $limit "${1}" | float64 }}
{{- $suffix := regexReplaceAll "^[0-9.]+" $limit "" }}
{{- $factors := dict "" 1.0 "k" 1e3 "M" 1e6 "G" 1e9 "T" 1e12 "Ki" 1024.0 "Mi" 1048576.0 "Gi" 1073741824.0 "Ti" 1099511627776.0 }}
{{- mulf $number (get $factors $suffix) 0.35 | floor | int64 }}
{{- end }}
{{- end }}
