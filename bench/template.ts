// Template engine throughput: parses and executes a large, realistic chart template (a Deployment,
// Service and ConfigMap with bitnami-style helpers) many times and prints operations per second
// and output megabytes per second. Run: npm run build && node dist/bench/template.js [iterations]
import { GoError, TemplateSet, defineNamedType, sprint, withGoType, type FuncMap, type GoMap, type GoValue } from '../src/template/index.js';

const helpers = `{{/* Expand the name of the chart. */}}
{{- define "app.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "app.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "app.labels" -}}
app.kubernetes.io/name: {{ include "app.name" . }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYamlLite . }}
{{- end }}
{{- end -}}

{{- define "app.selectorLabels" -}}
app.kubernetes.io/name: {{ include "app.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "app.image" -}}
{{- $registry := .image.registry -}}
{{- if .global.imageRegistry }}{{ $registry = .global.imageRegistry }}{{ end -}}
{{- if .image.digest -}}
{{- printf "%s/%s@%s" $registry .image.repository .image.digest -}}
{{- else -}}
{{- printf "%s/%s:%s" $registry .image.repository (toString .image.tag) -}}
{{- end -}}
{{- end -}}

{{- define "app.env" -}}
{{- range $i, $e := . }}
- name: {{ $e.name | upper | quote }}
  {{- if $e.value }}
  value: {{ $e.value | quote }}
  {{- else if $e.secret }}
  valueFrom:
    secretKeyRef:
      name: {{ $e.secret }}
      key: {{ default $e.name $e.key }}
  {{- end }}
{{- end }}
{{- end -}}
`;

const manifests = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "app.fullname" . }}
  namespace: {{ .Release.Namespace | quote }}
  labels:
    {{- include "app.labels" . | nindent 4 }}
  {{- if .Values.annotations }}
  annotations:
    {{- range $k, $v := .Values.annotations }}
    {{ $k }}: {{ $v | quote }}
    {{- end }}
  {{- end }}
spec:
  {{- if not .Values.autoscaling.enabled }}
  replicas: {{ .Values.replicaCount }}
  {{- end }}
  revisionHistoryLimit: {{ .Values.revisionHistoryLimit }}
  selector:
    matchLabels:
      {{- include "app.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "app.selectorLabels" . | nindent 8 }}
    spec:
      {{- with .Values.imagePullSecrets }}
      imagePullSecrets:
        {{- range . }}
        - name: {{ .name }}
        {{- end }}
      {{- end }}
      serviceAccountName: {{ default (include "app.fullname" .) .Values.serviceAccount.name }}
      containers:
        {{- range $name, $c := .Values.containers }}
        - name: {{ $name }}
          image: {{ include "app.image" (dict "image" $c.image "global" $.Values.global) }}
          imagePullPolicy: {{ $c.image.pullPolicy | default "IfNotPresent" }}
          {{- if $c.args }}
          args:
            {{- range $c.args }}
            - {{ . | quote }}
            {{- end }}
          {{- end }}
          env:
            {{- include "app.env" $c.env | nindent 12 }}
          ports:
            {{- range $c.ports }}
            - name: {{ .name }}
              containerPort: {{ .port }}
              protocol: {{ .protocol | default "TCP" }}
            {{- end }}
          {{- if $c.probes }}
          livenessProbe:
            httpGet:
              path: {{ $c.probes.path }}
              port: {{ $c.probes.port }}
            initialDelaySeconds: {{ $c.probes.delay | default 10 }}
            periodSeconds: {{ $c.probes.period | default 10 }}
          {{- end }}
          resources:
            limits:
              cpu: {{ $c.resources.limits.cpu | quote }}
              memory: {{ $c.resources.limits.memory | quote }}
            requests:
              cpu: {{ $c.resources.requests.cpu | quote }}
              memory: {{ $c.resources.requests.memory | quote }}
          volumeMounts:
            {{- range $.Values.volumes }}
            - name: {{ .name }}
              mountPath: {{ .mountPath }}
              {{- if .readOnly }}
              readOnly: true
              {{- end }}
            {{- end }}
        {{- end }}
      volumes:
        {{- range .Values.volumes }}
        - name: {{ .name }}
          {{- if eq .type "configMap" }}
          configMap:
            name: {{ include "app.fullname" $ }}-{{ .name }}
          {{- else if eq .type "secret" }}
          secret:
            secretName: {{ .name }}
          {{- else }}
          emptyDir: {}
          {{- end }}
        {{- end }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ include "app.fullname" . }}
  labels:
    {{- include "app.labels" . | nindent 4 }}
spec:
  type: {{ .Values.service.type }}
  ports:
    {{- range $i, $p := .Values.service.ports }}
    - port: {{ $p.port }}
      targetPort: {{ $p.targetPort | default $p.port }}
      name: {{ $p.name | default (printf "port-%d" $i) }}
    {{- end }}
  selector:
    {{- include "app.selectorLabels" . | nindent 4 }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "app.fullname" . }}-config
data:
  {{- range $k, $v := .Values.config }}
  {{ $k }}: {{ $v | toString | quote }}
  {{- end }}
`;

function container(i: number): GoValue {
  return {
    image: { registry: 'docker.io', repository: `bitnami/app${i}`, tag: `1.${i}.0`, pullPolicy: i % 2 ? 'Always' : null },
    args: ['--port=8080', `--name=c${i}`, '--verbose'],
    env: Array.from({ length: 12 }, (_, j) => (j % 3 === 0 ? { name: `secret_${j}`, secret: 'creds', key: null } : { name: `var_${j}`, value: `value-${i}-${j}` })),
    ports: [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9090, protocol: 'TCP' }],
    probes: { path: '/healthz', port: 'http', delay: 15 },
    resources: { limits: { cpu: '500m', memory: '512Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
  } as unknown as GoMap;
}

const values: GoMap = {
  nameOverride: '', fullnameOverride: '', replicaCount: 3, revisionHistoryLimit: 10,
  global: { imageRegistry: '' },
  commonLabels: { team: 'platform', tier: 'backend' },
  annotations: Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`example.com/annotation-${i}`, `value ${i}`])),
  autoscaling: { enabled: false },
  imagePullSecrets: [{ name: 'regcred' }, { name: 'other' }],
  serviceAccount: { name: '' },
  containers: Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`container-${i}`, container(i)])),
  volumes: Array.from({ length: 8 }, (_, i) => ({ name: `vol-${i}`, mountPath: `/data/${i}`, type: ['configMap', 'secret', 'emptyDir'][i % 3]!, readOnly: i % 2 === 0 })),
  service: { type: 'ClusterIP', ports: Array.from({ length: 4 }, (_, i) => ({ port: 8000 + i, name: i % 2 ? `p${i}` : null, targetPort: null })) },
  config: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`key.${i}`, i % 2 ? `string value ${i}` : i * 1.5])),
};

// As in Helm, the root context and .Values are the named map type common.Values.
defineNamedType('common.Values', 'map[string]interface {}');
const root: GoMap = withGoType({
  Values: withGoType(values, 'common.Values'),
  Release: { Name: 'bench', Namespace: 'default', Service: 'Helm', IsInstall: true },
  Chart: { Name: 'app', Version: '1.2.3+build' },
}, 'common.Values');

/** The handful of Sprig functions the template uses, with Go signatures as Sprig declares them. */
function benchFuncs(set: TemplateSet): FuncMap {
  const str = (v: GoValue): string => (typeof v === 'string' ? v : v === null ? '' : sprint([v]));
  return {
    include: { params: ['string', 'interface {}'], result: 'string', fn: (n: string, d: GoValue) => set.execute(n, d) },
    default: {
      params: ['interface {}'], variadic: 'interface {}',
      fn: (d: GoValue, ...given: GoValue[]) => (given.length === 0 || given[0] === null || given[0] === '' || given[0] === false ? d : given[0]!),
    },
    trunc: { params: ['int', 'string'], result: 'string', fn: (n: { value: number }, s: string) => s.slice(0, n.value) },
    trimSuffix: { params: ['string', 'string'], result: 'string', fn: (x: string, s: string) => (s.endsWith(x) ? s.slice(0, s.length - x.length) : s) },
    contains: { params: ['string', 'string'], result: 'bool', fn: (sub: string, s: string) => s.includes(sub) },
    replace: { params: ['string', 'string', 'string'], result: 'string', fn: (o: string, n: string, s: string) => s.replaceAll(o, n) },
    upper: { params: ['string'], result: 'string', fn: (s: string) => s.toUpperCase() },
    quote: { params: [], variadic: 'interface {}', result: 'string', fn: (...v: GoValue[]) => v.filter((x) => x !== null).map((x) => JSON.stringify(str(x))).join(' ') },
    toString: { params: ['interface {}'], result: 'string', fn: str },
    nindent: { params: ['int', 'string'], result: 'string', fn: (n: { value: number }, s: string) => '\n' + s.split('\n').map((l) => ' '.repeat(n.value) + l).join('\n') },
    dict: {
      params: [], variadic: 'interface {}', result: 'map[string]interface {}',
      fn: (...kv: GoValue[]) => {
        const m: GoMap = {};
        for (let i = 0; i + 1 < kv.length; i += 2) m[str(kv[i]!)] = kv[i + 1]!;
        return m;
      },
    },
    toYamlLite: {
      params: ['interface {}'], result: 'string',
      fn: (m: GoValue) => {
        if (m === null || typeof m !== 'object' || Array.isArray(m)) throw new GoError('toYamlLite: not a map');
        return Object.entries(m).map(([k, v]) => `${k}: ${str(v)}`).join('\n');
      },
    },
  };
}

function newSet(): TemplateSet {
  const set = new TemplateSet({}, { name: 'gotpl' });
  set.addFuncs(benchFuncs(set));
  set.parse('app/templates/_helpers.tpl', helpers);
  set.parse('app/templates/manifests.yaml', manifests);
  return set;
}

interface Case {
  label: string;
  /** Bytes a run produces (or parses), for MB/s. */
  bytes: number;
  run: () => void;
}

/**
 * Times the cases in interleaved rounds and reports each case's best round: on a shared machine the
 * best round is the one least disturbed by other load, and interleaving exposes every case to the
 * same conditions.
 */
function measure(cases: Case[], iterations: number, rounds = 7): Map<string, number> {
  const best = new Map<string, number>();
  for (const c of cases) for (let i = 0; i < 100; i++) c.run(); // warm up
  const perRound = Math.max(1, Math.round(iterations / rounds));
  for (let r = 0; r < rounds; r++) {
    for (const c of cases) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < perRound; i++) c.run();
      const seconds = Number(process.hrtime.bigint() - start) / 1e9 / perRound;
      best.set(c.label, Math.min(best.get(c.label) ?? Infinity, seconds));
    }
  }
  for (const c of cases) {
    const seconds = best.get(c.label)!;
    const line = `${c.label.padEnd(26)} ${(1 / seconds).toFixed(0).padStart(8)} ops/s  ${(c.bytes / seconds / 1e6).toFixed(1).padStart(7)} MB/s\n`;
    process.stdout.write(line);
  }
  return best;
}

const iterations = Number(process.argv[2] ?? 2000);
const set = newSet();
const output = set.execute('app/templates/manifests.yaml', root);
const templateBytes = Buffer.byteLength(helpers) + Buffer.byteLength(manifests);
const outputBytes = Buffer.byteLength(output);
process.stdout.write(`template: ${templateBytes} bytes of template text, ${outputBytes} bytes of output, ${output.split('\n').length} lines\n`);
const json = JSON.stringify(values, null, 2);
const best = measure([
  { label: 'parse (MB/s of template)', bytes: templateBytes, run: () => newSet() },
  { label: 'execute (MB/s of output)', bytes: outputBytes, run: () => set.execute('app/templates/manifests.yaml', root) },
  { label: 'parse + execute', bytes: outputBytes, run: () => newSet().execute('app/templates/manifests.yaml', root) },
  // A machine-independent yardstick, measured under the same conditions: V8's native JSON.stringify.
  { label: 'baseline JSON.stringify', bytes: Buffer.byteLength(json), run: () => JSON.stringify(values, null, 2) },
], iterations);
const execMbps = outputBytes / best.get('execute (MB/s of output)')!;
const jsonMbps = Buffer.byteLength(json) / best.get('baseline JSON.stringify')!;
process.stdout.write(`ratio: execute writes output at ${(execMbps / jsonMbps).toFixed(2)}x the byte rate of JSON.stringify\n`);
