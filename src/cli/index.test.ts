import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { main, type CliIO } from './index.js';

function capture(): { io: CliIO; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { io: { stdout: (t) => (out += t), stderr: (t) => (err += t), readFile: () => Buffer.alloc(0), env: {} }, out: () => out, err: () => err };
}

test('--help lists the commands; an unknown command is an error', async () => {
  const c = capture();
  assert.equal(await main(['--help'], c.io), 0);
  assert.match(c.out(), /Available Commands:\n {2}template {3}locally render templates/);
  assert.match(c.out(), /\n {2}operator /);
  const u = capture();
  assert.equal(await main(['frobnicate'], u.io), 1);
  assert.equal(u.err(), `Error: unknown command "frobnicate" for "chartrelease"\nRun 'chartrelease --help' for usage.\n`);
});

test('template: wrong argument counts and unknown flags fail as helm does', async () => {
  const none = capture();
  assert.equal(await main(['template'], none.io), 1);
  assert.match(none.err(), /^Error: "chartrelease template" requires at least 1 and at most 2 arguments/);
  const flag = capture();
  assert.equal(await main(['template', 'x', '--bogus'], flag.io), 1);
  assert.equal(flag.err(), 'Error: unknown flag: --bogus\n');
});
