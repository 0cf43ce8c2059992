import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { GoMap } from '../../template/value.js';
import type { Chart, Dependency } from '../types.js';
import { processDependencies } from './dependencies.js';

function chart(name: string, values: GoMap, dependencies: Chart[] = [], declared: Partial<Dependency>[] | null = null): Chart {
  return {
    metadata: {
      apiVersion: 'v2', name, version: '0.1.0', kubeVersion: '', description: '', type: '', keywords: [], home: '', sources: [],
      dependencies: declared && declared.map((d) => ({ name: '', version: '0.1.0', repository: '', condition: '', tags: [], enabled: false, importValues: [], alias: '', ...d })),
      maintainers: [], icon: '', appVersion: '', deprecated: false, annotations: {}, condition: '', tags: '',
    },
    templates: [], values, schema: null, files: [], dependencies,
  };
}

const sub = () => chart('sub', { exported: { data: { e: 1 } }, exports: { ex: { viaExports: 1 } } });
const parent = () =>
  chart('parent', { imported: { mine: 1 }, disabled: { enabled: false } }, [sub(), chart('disabled', {})], [
    { name: 'sub', importValues: [{ child: 'exported.data', parent: 'imported' }, 'ex'] },
    { name: 'sub', alias: 'aliased' },
    { name: 'disabled', condition: 'disabled.enabled', tags: ['extras'] },
  ]);

test('aliases copy the chart under a new name; conditions disable; both import-values forms; the loaded chart is untouched', () => {
  const loaded = parent();
  const p = processDependencies(loaded, {});
  assert.deepEqual(p.dependencies.map((d) => d.metadata.name), ['sub', 'aliased']);
  assert.deepEqual(p.metadata.dependencies?.map((d) => [d.name, d.enabled, d.importValues]), [
    ['sub', true, [{ child: 'exported.data', parent: 'imported' }, { child: 'exports.ex', parent: '.' }]],
    ['aliased', true, []],
  ]);
  // Imported values sit under the parent's own (which win), exports.NAME lands at the top level.
  assert.deepEqual(p.values.imported, { e: 1, mine: 1 });
  assert.equal(p.values.viaExports, 1);
  assert.deepEqual(loaded.dependencies.map((d) => d.metadata.name), ['sub', 'disabled']);
  assert.equal(loaded.metadata.dependencies?.[1]?.name, 'sub');
});

test('tags disable unless a condition says otherwise; conditions win over tags', () => {
  const names = (values: GoMap) => processDependencies(parent(), values).dependencies.map((d) => d.metadata.name);
  assert.deepEqual(names({ disabled: { enabled: true } }), ['sub', 'aliased', 'disabled']);
  assert.deepEqual(names({ disabled: { enabled: true }, tags: { extras: false } }), ['sub', 'aliased', 'disabled']);
  assert.deepEqual(names({ disabled: { enabled: null }, tags: { extras: false } }), ['sub', 'aliased']);
  assert.deepEqual(names({ disabled: { enabled: null }, tags: { extras: true } }), ['sub', 'aliased', 'disabled']);
});
