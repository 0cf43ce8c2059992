// Small fixture charts, one per rendering feature, rendered by the reference helm binary and by our
// `chartrelease template` (in-process) with the same arguments: stdout, exit code and the error text
// must be identical. The fixtures follow the probes of ../shared/notes/template-spec.md.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { main, type CliIO } from '../src/cli/index.js';
import { referenceTools } from './support/tools.js';

const root = mkdtempSync(join(tmpdir(), 'render-fixtures-'));
after(() => rmSync(root, { recursive: true, force: true }));
const helm = referenceTools().helm;

interface Fixture {
  files: Record<string, string>;
  /** Arguments after `template`; CHART and DIR are replaced by the chart's and the fixture's directory. */
  args?: string[];
}

const chartYaml = (name = 'c', extra = '') => `apiVersion: v2\nname: ${name}\nversion: 0.1.0\nappVersion: "1.2.3"\n${extra}`;

const orderFiles: Record<string, string> = {
  'Chart.yaml': chartYaml(),
  'templates/z-configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: z-cm\n',
  'templates/a-deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a-dep\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: a-svc\n',
  'templates/b-multi.yaml': '---\n# leading separator and comment-only doc\n---\n\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: b-secret\n---   \napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: b-widget\n---\napiVersion: example.com/v1\nkind: Alpha\nmetadata:\n  name: b-alpha\n',
  'templates/c-empty.yaml': '{{- if false }}\napiVersion: v1\nkind: ConfigMap\n{{- end }}\n',
  'templates/d-hook.yaml': 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: d-hook\n  annotations:\n    "helm.sh/hook": pre-install,post-upgrade\n    "helm.sh/hook-weight": "-5"\n    "helm.sh/hook-delete-policy": before-hook-creation\n',
  'templates/e-ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: e-ns\n',
  'templates/tests/test-conn.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: test-conn\n  annotations:\n    helm.sh/hook: test\n',
  'templates/_helpers.tpl': '{{ define "x" }}x{{ end }}\nthis text is never output\n',
  'templates/NOTES.txt': 'notes are not in helm template output\n',
  'templates/f.txt': '# a .txt file in templates/ is rendered as a manifest too\n',
  'templates/g-unknownhook.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: g-unk\n  annotations:\n    helm.sh/hook: not-a-real-hook\n',
  'templates/h-crlf.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: h-sa\n---\n',
  'templates/sub/i-nested.yaml': 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: i-cr\n',
  'crds/crd.yaml': 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\n',
};

const subchartFiles: Record<string, string> = {
  'Chart.yaml': chartYaml('parent', [
    'dependencies:',
    '- name: sub',
    '  version: 0.1.0',
    '  import-values:',
    '  - child: exported.data',
    '    parent: imported',
    '  - ex',
    '- name: sub',
    '  alias: aliased',
    '  version: 0.1.0',
    '- name: disabled',
    '  version: 0.1.0',
    '  condition: disabled.enabled',
    '  tags: [extras]',
    '',
  ].join('\n')),
  'values.yaml': 'global:\n  g1: parent\n  shared: {a: 1}\nsub:\n  fromParent: p\n  list: [p1]\n  nested: {x: p}\n  remove: null\naliased:\n  fromParent: via-alias\ntop: 1\nkeepme: {a: 1, b: 2}\nimported: {mine: 1}\ndisabled:\n  enabled: false\n',
  'charts/sub/Chart.yaml': chartYaml('sub'),
  'charts/sub/values.yaml': 'global:\n  g1: subdefault\n  g2: subonly\n  shared: {b: 2}\nfromParent: s\nsubOnly: s\nlist: [s1, s2]\nnested: {x: s, w: s}\nremove: tobe-removed\nexported: {data: {e: 1}}\nexports:\n  ex: {viaExports: 1}\n',
  'charts/sub/templates/cm.yaml': '# sub-values: {{ toJson .Values }}\n# sub-meta: {{ .Chart.Name }} {{ .Chart.IsRoot }} {{ .Template.Name }} {{ .Template.BasePath }} {{ .Release.Name }}\n',
  'charts/sub/templates/NOTES.txt': 'sub notes\n',
  'charts/disabled/Chart.yaml': chartYaml('disabled'),
  'charts/disabled/templates/x.yaml': '# disabled chart rendered\n',
  'templates/t.yaml': '# parent-values: {{ toJson .Values }}\n# subcharts: {{ range $k, $v := .Subcharts }}{{ $k }}={{ $v.Values.fromParent }},{{ end }}\n# deps: {{ toJson .Chart.Dependencies }}\n',
  'u1.yaml': 'sub:\n  nested: {z: u1}\n  list: [u1]\nkeepme: {a: 10}\ntop: null\n',
  'u2.yaml': 'keepme: {b: null}\nglobal: {g1: user}\nsub: {list: [u2a, u2b]}\ndisabled: {enabled: true}\n',
};

const fixtures: Record<string, Fixture> = {
  'order: documents, install order, hooks, partials, NOTES': { files: orderFiles },
  'order: --include-crds --skip-tests': { files: orderFiles, args: ['CHART', '--include-crds', '--skip-tests'] },
  'order: --show-only': { files: orderFiles, args: ['CHART', '--show-only', 'templates/b-multi.yaml', '-s', 'templates/sub/*'] },
  'order: --show-only of a missing template': { files: orderFiles, args: ['CHART', '--show-only', 'templates/nope.yaml'] },
  'order: --no-hooks, release name and namespace': { files: orderFiles, args: ['myrel', 'CHART', '--no-hooks', '-n', 'other'] },
  'subcharts: scoping, globals, null deletion, import-values, alias, condition': { files: subchartFiles },
  'subcharts: -f a -f b, --set paths, tags and conditions': {
    files: subchartFiles,
    args: ['CHART', '-f', 'DIR/u1.yaml', '-f', 'DIR/u2.yaml', '--set', 'sub.subOnly=fromset', '--set', 'keepme.c=3', '--set', 'sub.list[1]=x', '--set', 'tags.extras=false'],
  },
  'values: --set typing, --set-string, --set-json, --set-file': {
    files: {
      'Chart.yaml': chartYaml(),
      'values.yaml': 'a: 1\nm: {x: 1}\n---\nb: 2\nm: {y: 2}\n',
      'note.txt': 'file content\n',
      'templates/t.yaml': '# {{ toJson .Values }} {{ typeOf .Values.i }} {{ typeOf .Values.f }} {{ typeOf .Values.j.k }}\n',
    },
    args: ['CHART', '--set', 'i=5,f=1.5,s=0777,n=null,e=', '--set-string', 'str=true', '--set-json', 'j={"k":1}', '--set-file', 'file=DIR/note.txt'],
  },
  'values: render order and shared .Values (set is seen by files rendered later)': {
    files: {
      'Chart.yaml': chartYaml(),
      'values.yaml': 'shared: {}\n',
      'templates/a.yaml': '# a sees: {{ toJson .Values.shared }}\n',
      'templates/m.yaml': '{{- $_ := set .Values.shared "k" "set-by-m" -}}\n# m set it\n',
      'templates/z.yaml': '# z sees: {{ toJson .Values.shared }}\n',
      'templates/sub/d.yaml': '# sub/d sees: {{ toJson .Values.shared }}\n',
    },
  },
  'templates: define precedence, include, tpl, required': {
    files: {
      'Chart.yaml': chartYaml(),
      'values.yaml': 'name: world\ntext: "hello {{ .Values.name }}"\n',
      'templates/_a.tpl': '{{ define "dup" }}from-a{{ end }}{{ define "blank" }}kept{{ end }}',
      'templates/_b.tpl': '{{ define "dup" }}from-b{{ end }}{{ define "blank" }}  {{ end }}',
      'templates/sub/_c.tpl': '{{ define "dup" }}from-sub-c{{ end }}',
      'templates/t.yaml': '# {{ include "dup" . }} [{{ include "blank" . }}] {{ tpl .Values.text . }} {{ tpl "{{ define \\"in\\" }}inner{{ end }}{{ include \\"in\\" . }}" . }} {{ required "x" .Values.name }}\n',
    },
  },
  'templates: required fails with helm\'s error': {
    files: { 'Chart.yaml': chartYaml(), 'templates/t.yaml': 'a: {{ required "a.b is required" .Values.a }}\n' },
  },
  'templates: fail inside include': {
    files: { 'Chart.yaml': chartYaml(), 'templates/_h.tpl': '{{ define "f" }}{{ fail "boom" }}{{ end }}', 'templates/t.yaml': 'a: {{ include "f" . }}\n' },
  },
  'templates: nested include error (multi-line form)': {
    files: { 'Chart.yaml': chartYaml(), 'templates/_h.tpl': '{{ define "f" }}{{ .Values.missing.x }}{{ end }}', 'templates/t.yaml': 'a: {{ include "f" . }}\n' },
  },
  'templates: include recursion limit': {
    files: { 'Chart.yaml': chartYaml(), 'templates/_h.tpl': '{{ define "r" }}{{ include "r" . }}{{ end }}', 'templates/t.yaml': 'a: {{ include "r" . }}\n' },
  },
  'templates: parse error': { files: { 'Chart.yaml': chartYaml(), 'templates/t.yaml': 'a: {{ .Values.x \n' } },
  'output: invalid YAML names the template': { files: { 'Chart.yaml': chartYaml(), 'templates/t.yaml': 'a: b: c\n' } },
  'output: --debug prints what was rendered and the error without the hint': { files: { 'Chart.yaml': chartYaml(), 'templates/t.yaml': 'a: b: c\n' }, args: ['CHART', '--debug'] },
  'output: a scalar document': { files: { 'Chart.yaml': chartYaml(), 'templates/t.yaml': 'hello world\n' } },
  'built-ins: .Chart, .Release, .Template, .Capabilities': {
    files: {
      'Chart.yaml': chartYaml('c', 'description: D\ntype: application\nkeywords: [k1]\nmaintainers: [{name: me, email: e@x}]\nannotations: {a: b}\nkubeVersion: ">=1.20.0-0"\nhome: https://h\n'),
      'templates/t.yaml': [
        '# {{ range $k, $v := .Chart }}{{ $k }}={{ $v }}; {{ end }}',
        '# {{ .Release.Name }} {{ .Release.Namespace }} {{ .Release.IsInstall }} {{ .Release.IsUpgrade }} {{ .Release.Revision }} {{ .Release.Service }}',
        '# {{ .Template.Name }} {{ .Template.BasePath }} {{ typeOf . }} {{ typeOf .Values }} {{ typeOf .Files }}',
        '# {{ .Capabilities.KubeVersion }} {{ .Capabilities.KubeVersion.Version }} {{ .Capabilities.KubeVersion.Major }}.{{ .Capabilities.KubeVersion.Minor }} {{ len .Capabilities.APIVersions }}',
        '# {{ .Capabilities.APIVersions.Has "apps/v1" }} {{ .Capabilities.APIVersions.Has "apps/v1/Deployment" }} {{ .Capabilities.APIVersions.Has "x.io/v1" }} {{ .Capabilities.HelmVersion.Version }}',
        '# {{ toJson .Capabilities.KubeVersion }} {{ lookup "v1" "Secret" "ns" "name" }} [{{ getHostByName "example.com" }}]',
        '',
      ].join('\n'),
    },
    args: ['rel', 'CHART', '--kube-version', '1.29.3-gke.100', '-a', 'x.io/v1', '--is-upgrade', '-n', 'ns1'],
  },
  'built-ins: kubeVersion constraint not met': {
    files: { 'Chart.yaml': chartYaml('c', 'kubeVersion: ">=1.33.0"\n'), 'templates/t.yaml': 'a: 1\n' },
    args: ['CHART', '--kube-version', '1.31.0'],
  },
  'built-ins: .Files (Get, GetBytes, Lines, Glob, AsConfig, AsSecrets) and .helmignore': {
    files: {
      'Chart.yaml': chartYaml(),
      'conf/a.txt': 'alpha\nline2\n',
      'conf/b.ini': 'k=v\n',
      'conf/sub/c.txt': 'deep\n',
      'other.txt': 'o\n',
      '.helmignore': 'ignored.txt\n',
      'ignored.txt': 'nope\n',
      'templates/t.yaml': [
        '# [{{ .Files.Get "conf/a.txt" | quote }}] [{{ .Files.Get "nope" }}] {{ typeOf (.Files.GetBytes "conf/b.ini") }} {{ .Files.Lines "conf/a.txt" }} {{ len (.Files.Lines "conf/a.txt") }}',
        '# {{ range $p, $c := .Files.Glob "conf/*" }}{{ $p }};{{ end }} | {{ range $p, $c := .Files.Glob "conf/**" }}{{ $p }};{{ end }} | {{ range $p, $_ := .Files.Glob "**.txt" }}{{ $p }};{{ end }} | {{ range $p, $_ := .Files.Glob "{conf,other}*/*.{ini,txt}" }}{{ $p }};{{ end }}',
        'config:',
        '{{ (.Files.Glob "conf/*").AsConfig | indent 2 }}',
        'secrets:',
        '{{ (.Files.Glob "conf/*").AsSecrets | indent 2 }}',
        '# {{ range $k, $_ := .Files }}{{ $k }};{{ end }}',
        '',
      ].join('\n'),
    },
  },
  'templates: fromYaml of the same text twice gives independent maps': {
    files: {
      'Chart.yaml': chartYaml(),
      'big.yaml': `items:\n${Array.from({ length: 40 }, (_, i) => `  - name: item-${i}\n    value: ${i}\n`).join('')}`,
      'templates/t.yaml': '{{ $a := .Files.Get "big.yaml" | fromYaml }}{{ $_ := set $a "x" 1 }}{{ $_ := set (index $a.items 0) "name" "changed" }}{{ $b := .Files.Get "big.yaml" | fromYaml }}# {{ hasKey $b "x" }} {{ (index $b.items 0).name }} {{ len $b.items }}\n',
    },
  },
  'charts: library chart and apiVersion v1 requirements.yaml': {
    files: {
      'Chart.yaml': 'apiVersion: v1\nname: app\nversion: 1.0.0\n',
      'requirements.yaml': 'dependencies:\n- name: lib\n  version: 0.1.0\n',
      'charts/lib/Chart.yaml': 'apiVersion: v2\nname: lib\nversion: 0.1.0\ntype: library\n',
      'charts/lib/templates/_lib.tpl': '{{ define "lib.name" }}from-lib-{{ .Chart.Name }}{{ end }}',
      'charts/lib/templates/ignored.yaml': 'kind: NotRendered\n',
      'templates/t.yaml': '# {{ include "lib.name" . }}\n',
    },
  },
  'subcharts: three levels, aliases with conditions, globals, nulls, subchart CRDs with --include-crds': {
    files: {
      'Chart.yaml': chartYaml('top', 'dependencies:\n- name: mid\n  version: "~0.1"\n  alias: middle\n  condition: middle.on,ignored.path\n- name: mid\n  version: ">=0.1.0"\n  alias: offmid\n  condition: offmid.on\n'),
      'values.yaml': 'global: {region: eu, nested: {a: 1}}\nmiddle: {on: true, leaf: {fromTop: t, drop: null}}\noffmid: {on: false}\n',
      'charts/mid/Chart.yaml': chartYaml('mid', 'dependencies:\n- name: leaf\n  version: 0.1.0\n  import-values:\n  - child: out\n    parent: fromLeaf\n'),
      'charts/mid/values.yaml': 'on: false\nglobal: {region: mid-default, midOnly: m}\nleaf: {fromMid: m}\n',
      'charts/mid/templates/m.yaml': '# mid: {{ toJson .Values }} {{ .Chart.Name }}\n',
      'charts/mid/crds/mid-crd.yaml': 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: mids.example.com\n',
      'charts/mid/charts/leaf/Chart.yaml': chartYaml('leaf'),
      'charts/mid/charts/leaf/values.yaml': 'drop: leaf-default\nfromMid: leaf-default\nout: {x: 1}\n',
      'charts/mid/charts/leaf/templates/l.yaml': '# leaf: {{ toJson .Values }} {{ .Template.Name }}\n',
      'templates/t.yaml': '# top: {{ toJson .Values }}\n',
    },
    args: ['CHART', '--include-crds', '--set', 'global.nested.b=2'],
  },
  'charts: a packaged chart (.tgz) as the chart argument': {
    files: {
      'Chart.yaml': chartYaml('packed'),
      'values.yaml': 'greeting: hi\n',
      'templates/t.yaml': 'greeting: {{ .Values.greeting }}\n',
    },
    args: ['PACKAGE'],
  },
  'charts: a dependency missing from charts/': {
    files: { 'Chart.yaml': chartYaml('c', 'dependencies:\n- name: absent\n  version: 0.1.0\n'), 'templates/t.yaml': 'a: 1\n' },
  },
  'charts: .helmignore rules, dot files in templates/, deprecated chart': {
    files: {
      'Chart.yaml': chartYaml('c', 'deprecated: true\n'),
      '.helmignore': '# comment\n*.bak\n/docs/\nsecret*\n',
      'a.bak': 'x',
      'docs/readme.md': 'x',
      'keep/secret.txt': 'x',
      'keep/ok.txt': 'ok',
      'templates/.hidden.yaml': 'hidden: true\n',
      'templates/t.yaml': '# {{ range $k, $_ := .Files }}{{ $k }};{{ end }}\n',
    },
  },
  'values: -f with several documents, --set-json object form, comma-separated -a': {
    files: {
      'Chart.yaml': chartYaml(),
      'values.yaml': 'l: [1]\nm: {a: 1}\n',
      'multi.yaml': 'l: [2]\n---\nm: {b: 2}\nn: 5\n',
      'templates/t.yaml': '# {{ toJson .Values }} {{ .Capabilities.APIVersions.Has "a.io/v1" }} {{ .Capabilities.APIVersions.Has "b.io/v1" }}\n',
    },
    args: ['CHART', '-f', 'DIR/multi.yaml', '--set-json', '{"j": {"k": [1, 2]}}', '-a', 'a.io/v1,b.io/v1'],
  },
  'cli: --output-dir with --release-name (files, appended documents and hooks, wrote lines)': { files: orderFiles, args: ['rel', 'CHART', '--output-dir', 'OUT', '--release-name', '--include-crds'] },
  'cli: an invalid release name': { files: { 'Chart.yaml': chartYaml(), 'templates/t.yaml': 'a: 1\n' }, args: ['Bad_Name', 'CHART'] },
  'cli: --set without a value': { files: { 'Chart.yaml': chartYaml(), 'templates/t.yaml': 'a: 1\n' }, args: ['CHART', '--set', 'a'] },
  'values: schema violation is reported before rendering': {
    files: {
      'Chart.yaml': chartYaml(),
      'values.yaml': 'replicaCount: 1\n',
      'values.schema.json': '{"type":"object","properties":{"replicaCount":{"type":"integer","minimum":1}}}',
      'templates/t.yaml': 'a: {{ .Values.replicaCount }}\n',
    },
    args: ['CHART', '--set', 'replicaCount=0'],
  },
};

function writeFixture(name: string, files: Record<string, string>): string {
  const dir = join(root, name.replace(/[^a-z0-9]+/gi, '-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, 'chart', path)), { recursive: true });
    writeFileSync(join(dir, 'chart', path), content);
  }
  return dir;
}

/** Every file below `dir`, path → content. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[path.slice(dir.length)] = readFileSync(path, 'utf8');
  }
  return out;
}

async function ours(args: string[]): Promise<{ stdout: string; stderr: string; rc: number }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), readFile: (p) => readFileSync(p), env: {} };
  const rc = await main(['template', ...args], io);
  return { stdout, stderr, rc };
}

describe('fixture charts: chartrelease template equals helm template', () => {
  for (const [name, fixture] of Object.entries(fixtures)) {
    test(name, async () => {
      const dir = writeFixture(name, fixture.files);
      const chartName = fixture.files['Chart.yaml']!.match(/^name: (\S+)$/m)![1]!;
      if (fixture.args?.includes('PACKAGE')) {
        // A packaged chart, as `helm package` lays it out: CHARTNAME/... in a gzipped tar.
        spawnSync('cp', ['-r', join(dir, 'chart'), join(dir, chartName)]);
        spawnSync('tar', ['-czf', join(dir, 'chart.tgz'), '-C', dir, chartName]);
      }
      const args = (fixture.args ?? ['CHART']).map((a) => a.replace('PACKAGE', join(dir, 'chart.tgz')).replace('CHART', join(dir, 'chart')).replace('DIR', join(dir, 'chart')));
      // --output-dir: each tool writes its own tree; the trees and the `wrote` lines must match.
      const helmOut = join(dir, 'out-helm');
      const oursOut = join(dir, 'out-ours');
      const h = spawnSync(helm, ['template', ...args.map((a) => (a === 'OUT' ? helmOut : a))], { encoding: 'utf8', env: { ...process.env, HELM_CACHE_HOME: join(root, 'cache'), HELM_CONFIG_HOME: join(root, 'config') } });
      const o = await ours(args.map((a) => (a === 'OUT' ? oursOut : a)));
      assert.equal(o.rc, h.status, `exit code; our stderr: ${o.stderr}`);
      assert.equal(o.stdout.replaceAll(oursOut, 'OUT'), h.stdout.replaceAll(helmOut, 'OUT'));
      if (args.includes('OUT')) assert.deepEqual(tree(oursOut), tree(helmOut));
      // Warnings and errors as helm prints them (with --debug helm adds its own DEBUG lines first).
      const fromError = (e: string) => (args.includes('--debug') ? e.slice(e.indexOf('Error: ')) : e);
      assert.equal(fromError(o.stderr), fromError(h.stderr), 'stderr');
    });
  }
});
