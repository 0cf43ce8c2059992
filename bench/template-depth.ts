// How deep functions that call back into the engine (Helm's `include`) can nest on this Node's
// stack, for two shapes of recursive define, and how deep `{{template}}` recursion gets before the
// engine reports Go's depth error. Run: npm run build && node dist/bench/template-depth.js
import { TemplateDepthError, TemplateExecError, TemplateSet, type GoValue } from '../src/template/index.js';

function maxIncludeDepth(body: string): number {
  const set = new TemplateSet({}, { name: 'gotpl' });
  let depth = 0;
  let max = 0;
  set.addFuncs({
    include: {
      params: ['string', 'interface {}'], result: 'string',
      fn: (name: string, data: GoValue) => {
        max = Math.max(max, ++depth);
        try {
          return set.execute(name, data);
        } finally {
          depth--;
        }
      },
    },
  });
  set.parse('h', `{{ define "r" }}${body}{{ end }}`);
  set.parse('t', '{{ include "r" 1 }}');
  try {
    set.execute('t', null);
  } catch (e) {
    if (!(e instanceof TemplateDepthError)) throw e;
  }
  return max;
}

for (const [shape, body] of [
  ['{{ include "r" . }}', '{{ include "r" . }}'],
  ['include inside if and with', '{{ if . }}{{ with . }}{{ include "r" . }}{{ end }}{{ end }}'],
] as const) {
  process.stdout.write(`${shape.padEnd(30)} ${maxIncludeDepth(body)} nested includes before the stack is exhausted\n`);
}

/** Levels of `{{template}}` recursion executed before the (stack-exhaustion) depth error. */
function maxTemplateDepth(body: string): number {
  let levels = 0;
  const set = new TemplateSet({ level: { params: [], result: 'string', fn: () => (levels++, '') } });
  set.parse('h', `{{ define "r" }}{{ level }}${body}{{ end }}`);
  set.parse('t', '{{ template "r" 1 }}');
  try {
    set.execute('t', null);
  } catch (e) {
    if (!(e instanceof TemplateExecError && e.message.endsWith('exceeded maximum template depth (100000)'))) throw e;
  }
  return levels;
}

for (const [shape, body] of [
  ['{{ template "r" . }}', '{{ template "r" . }}'],
  ['template inside if and with', '{{ if . }}{{ with . }}{{ template "r" . }}{{ end }}{{ end }}'],
] as const) {
  process.stdout.write(`${shape.padEnd(30)} ${maxTemplateDepth(body)} nested templates before the depth error\n`);
}
