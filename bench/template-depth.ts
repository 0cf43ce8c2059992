// How deep functions that call back into the engine (Helm's `include`) can nest on this Node's
// stack, for two shapes of recursive define. Run: npm run build && node dist/bench/template-depth.js
import { TemplateDepthError, TemplateSet, type GoValue } from '../src/template/index.js';

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
