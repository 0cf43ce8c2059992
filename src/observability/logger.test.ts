import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatConsoleLine } from './console-format.js';
import { REDACTED, createLogger, parseLogFormat, parseLogLevel, reconcileLogger } from './logger.js';

function capture() {
  const lines: string[] = [];
  return { lines, destination: { write: (l: string) => lines.push(l) }, json: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

test('JSON lines by default: level label, ISO time, msg', () => {
  const out = capture();
  const log = createLogger({ destination: out.destination });
  log.info({ objects: 3 }, 'applied');
  const [line] = out.json();
  assert.equal(line!.level, 'info');
  assert.equal(line!.msg, 'applied');
  assert.equal(line!.objects, 3);
  assert.match(String(line!.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal('pid' in line! || 'hostname' in line!, false);
});

test('--log-level filters', () => {
  const out = capture();
  const log = createLogger({ level: 'warn', destination: out.destination });
  log.info('hidden');
  log.warn('shown');
  assert.deepEqual(out.json().map((l) => l.msg), ['shown']);
  assert.equal(parseLogLevel('DEBUG'), 'debug');
  assert.throws(() => parseLogLevel('verbose'), /invalid log level "verbose"/);
  assert.equal(parseLogFormat('console'), 'console');
  assert.throws(() => parseLogFormat('text'), /use json or console/);
});

test('values, Secret data and manifests never reach a line, at any of the first three levels', () => {
  const out = capture();
  const log = createLogger({ destination: out.destination });
  log.info(
    {
      values: { password: 'hunter2' },
      release: { config: { db: 'hunter2' }, manifest: 'kind: Secret hunter2' },
      object: { kind: 'Secret', data: { key: 'aHVudGVyMg==' }, stringData: { key: 'hunter2' } },
      spec: { chart: { path: '/charts/x' }, values: { token: 'hunter2' } },
      request: { headers: { authorization: 'Bearer hunter2' } },
    },
    'reconciling',
  );
  assert.doesNotMatch(out.lines.join(''), /hunter2|aHVudGVyMg/);
  const [line] = out.json() as any[];
  assert.equal(line.values, REDACTED);
  assert.equal(line.release.config, REDACTED);
  assert.equal(line.object.data, REDACTED);
  assert.equal(line.spec.values, REDACTED);
  assert.equal(line.request.headers.authorization, REDACTED);
  assert.equal(line.spec.chart.path, '/charts/x', 'everything else is kept');
});

test('a reconcile logger puts namespace, name, revision and one reconcileID on every line', () => {
  const out = capture();
  const base = createLogger({ destination: out.destination, level: 'debug' });
  const log = reconcileLogger(base, { namespace: 'shop', name: 'api', revision: 3 });
  log.info('start');
  log.child({ phase: 'apply' }).debug('applying');
  const [a, b] = out.json();
  for (const line of [a!, b!]) {
    assert.equal(line.namespace, 'shop');
    assert.equal(line.name, 'api');
    assert.equal(line.revision, 3);
  }
  assert.match(String(a!.reconcileID), /^[0-9a-f-]{36}$/);
  assert.equal(b!.reconcileID, a!.reconcileID);
  // Once the new revision is known: same id, new revision, no duplicate keys.
  reconcileLogger(base, { namespace: 'shop', name: 'api', revision: 4, reconcileID: String(a!.reconcileID) }).info('deployed');
  const last = out.lines.at(-1)!;
  assert.equal(JSON.parse(last).revision, 4);
  assert.equal(last.match(/"revision"/g)!.length, 1);
  assert.equal(JSON.parse(last).reconcileID, a!.reconcileID);
  // A fresh reconcile gets a fresh id.
  reconcileLogger(base, { namespace: 'shop', name: 'api', revision: null }).info('next');
  assert.notEqual(JSON.parse(out.lines.at(-1)!).reconcileID, a!.reconcileID);
  assert.equal('revision' in JSON.parse(out.lines.at(-1)!), false, 'no revision=null before the revision is known');
});

test('console format: head, then the reconcile fields first, then the rest as key=value', () => {
  const cases: [string, string][] = [
    [
      '{"level":"info","time":"2026-06-12T11:04:17.512Z","namespace":"shop","name":"api","revision":4,"reconcileID":"r1","msg":"deployed","objects":3,"reason":"Deployed ok"}',
      '2026-06-12T11:04:17.512Z INFO  deployed  namespace=shop name=api revision=4 reconcileID=r1 objects=3 reason="Deployed ok"\n',
    ],
    ['{"level":"warn","time":"t","msg":"bare"}', 't WARN  bare\n'],
    ['{"level":"debug","time":"t","msg":"nested","ref":{"kind":"ConfigMap"}}', 't DEBUG nested  ref={"kind":"ConfigMap"}\n'],
    ['not json', 'not json\n'],
  ];
  for (const [input, want] of cases) assert.equal(formatConsoleLine(input), want);
  const withError = formatConsoleLine('{"level":"error","time":"t","msg":"failed","err":{"message":"boom","stack":"Error: boom\\n    at x"}}');
  assert.equal(withError, 't ERROR failed\n  Error: boom\n      at x\n');
});

test('console format through the logger, redaction included', () => {
  const out = capture();
  createLogger({ format: 'console', destination: out.destination }).info({ namespace: 'shop', values: { a: 'secret-value' } }, 'hello');
  assert.match(out.lines[0]!, / INFO  hello  namespace=shop values=\[REDACTED\]\n$/);
});
