import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { parseFlags, type FlagSpec } from './flags.js';

const specs: FlagSpec[] = [
  { name: 'values', short: 'f', kind: 'stringSlice', usage: '' },
  { name: 'set', kind: 'stringArray', usage: '' },
  { name: 'namespace', short: 'n', kind: 'string', usage: '' },
  { name: 'include-crds', kind: 'bool', usage: '' },
];

test('flags parse as pflag does: forms, repetition, slices split at commas, bools, --', () => {
  const { flags, positional } = parseFlags(
    ['rel', '-f', 'a.yaml,b.yaml', '--values=c.yaml', '-fd.yaml', '--set', 'a=1,b=2', '--set=c=3', '-n', 'ns', '--include-crds', 'chart', '--', '--not-a-flag'],
    specs,
  );
  assert.deepEqual(flags, { values: ['a.yaml', 'b.yaml', 'c.yaml', 'd.yaml'], set: ['a=1,b=2', 'c=3'], namespace: 'ns', 'include-crds': true });
  assert.deepEqual(positional, ['rel', 'chart', '--not-a-flag']);
  assert.deepEqual(parseFlags(['--include-crds=false'], specs).flags, { 'include-crds': false });
});

test('flag errors read like helm', () => {
  assert.throws(() => parseFlags(['--bogus'], specs), /^FlagError: unknown flag: --bogus$/m);
  assert.throws(() => parseFlags(['-x'], specs), /unknown shorthand flag: 'x' in -x/);
  assert.throws(() => parseFlags(['--namespace'], specs), /flag needs an argument: --namespace/);
  assert.throws(() => parseFlags(['--include-crds=maybe'], specs), /invalid argument "maybe" for "--include-crds" flag/);
});
