import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OperatorMetrics } from './metrics.js';

/** The value of one series in the exposition text, or undefined when it is absent. */
async function sample(metrics: OperatorMetrics, series: string): Promise<number | undefined> {
  const { body } = await metrics.exposition();
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

test('reconcile outcomes count the way controller-runtime counts them', async () => {
  const m = new OperatorMetrics({ processMetrics: false });
  m.registerController('chartrelease', 4);
  m.observeReconcile('chartrelease', 'success', 0.2);
  m.observeReconcile('chartrelease', 'error', 1.5);
  m.observeReconcile('chartrelease', 'error', 0.1);
  m.observeReconcile('chartrelease', 'requeue_after', 0.05);
  assert.equal(await sample(m, 'controller_runtime_reconcile_total{controller="chartrelease",result="success"}'), 1);
  assert.equal(await sample(m, 'controller_runtime_reconcile_total{controller="chartrelease",result="error"}'), 2);
  assert.equal(await sample(m, 'controller_runtime_reconcile_total{controller="chartrelease",result="requeue_after"}'), 1);
  assert.equal(await sample(m, 'controller_runtime_reconcile_errors_total{controller="chartrelease"}'), 2);
  assert.equal(await sample(m, 'controller_runtime_reconcile_time_seconds_count{controller="chartrelease"}'), 4);
  assert.equal(await sample(m, 'controller_runtime_reconcile_time_seconds_bucket{le="0.1",controller="chartrelease"}'), 2);
  assert.equal(await sample(m, 'controller_runtime_max_concurrent_reconciles{controller="chartrelease"}'), 4);
  assert.equal(await sample(m, 'controller_runtime_active_workers{controller="chartrelease"}'), 0);
  // Series controller-runtime creates at start exist before anything happens.
  m.registerController('other', 1);
  for (const result of ['success', 'error', 'requeue', 'requeue_after']) {
    assert.equal(await sample(m, `controller_runtime_reconcile_total{controller="other",result="${result}"}`), 0);
  }
  assert.equal(await sample(m, 'controller_runtime_reconcile_errors_total{controller="other"}'), 0);
});

test('each instance has its own registry: two operators in one process share no series', async () => {
  const a = new OperatorMetrics({ processMetrics: false });
  const b = new OperatorMetrics({ processMetrics: false });
  a.observeReconcile('chartrelease', 'success', 0.1);
  assert.equal(await sample(a, 'controller_runtime_reconcile_total{controller="chartrelease",result="success"}'), 1);
  assert.equal(await sample(b, 'controller_runtime_reconcile_total{controller="chartrelease",result="success"}'), undefined);
});

test('process metrics are there by default', async () => {
  const m = new OperatorMetrics();
  const { body, contentType } = await m.exposition();
  assert.match(contentType, /^text\/plain; version=0\.0\.4/);
  assert.match(body, /^process_cpu_seconds_total /m);
  assert.match(body, /^nodejs_heap_size_used_bytes /m);
});

test('work queue hooks: depth, adds, retries, queue and work durations', async () => {
  const m = new OperatorMetrics({ processMetrics: false });
  let now = 0;
  const q = m.workQueue('chartrelease', () => now);
  assert.equal(m.workQueue('chartrelease'), q, 'one object per queue name');
  const labels = '{name="chartrelease",controller="chartrelease"}';
  assert.equal(await sample(m, `workqueue_depth${labels}`), 0, 'series exist before the first add');
  q.added('ns/a');
  q.added('ns/b');
  assert.equal(await sample(m, `workqueue_depth${labels}`), 2);
  now = 250;
  q.started('ns/a');
  assert.equal(await sample(m, `workqueue_depth${labels}`), 1);
  assert.equal(await sample(m, `workqueue_queue_duration_seconds_sum${labels}`), 0.25);
  now = 1250;
  assert.equal(await sample(m, `workqueue_unfinished_work_seconds${labels}`), 1);
  assert.equal(await sample(m, `workqueue_longest_running_processor_seconds${labels}`), 1);
  q.finished('ns/a');
  q.retried('ns/a');
  assert.equal(await sample(m, `workqueue_work_duration_seconds_sum${labels}`), 1);
  assert.equal(await sample(m, `workqueue_work_duration_seconds_count${labels}`), 1);
  assert.equal(await sample(m, `workqueue_adds_total${labels}`), 2);
  assert.equal(await sample(m, `workqueue_retries_total${labels}`), 1);
  assert.equal(await sample(m, `workqueue_unfinished_work_seconds${labels}`), 0);
  // A key finished twice (or never started) observes nothing.
  q.finished('ns/a');
  assert.equal(await sample(m, `workqueue_work_duration_seconds_count${labels}`), 1);
});

test('leader_election_master_status follows setLeader', async () => {
  const m = new OperatorMetrics({ processMetrics: false });
  m.setLeader('chartrelease-leader', true);
  assert.equal(await sample(m, 'leader_election_master_status{name="chartrelease-leader"}'), 1);
  m.setLeader('chartrelease-leader', false);
  assert.equal(await sample(m, 'leader_election_master_status{name="chartrelease-leader"}'), 0);
});

test('apply change sets count objects by change, prunes separately', async () => {
  const m = new OperatorMetrics({ processMetrics: false });
  assert.equal(await sample(m, 'chartrelease_objects_applied_total{change="created"}'), 0, 'series exist from the start');
  assert.equal(await sample(m, 'chartrelease_objects_pruned_total'), 0);
  m.observeApply(0.4, { created: 3, unchanged: 2, configured: 0 }, 1);
  m.observeApply(0.2, { configured: 1 }, 0);
  assert.equal(await sample(m, 'chartrelease_objects_applied_total{change="created"}'), 3);
  assert.equal(await sample(m, 'chartrelease_objects_applied_total{change="configured"}'), 1);
  assert.equal(await sample(m, 'chartrelease_objects_applied_total{change="unchanged"}'), 2);
  assert.equal(await sample(m, 'chartrelease_objects_pruned_total'), 1);
  assert.equal(await sample(m, 'chartrelease_apply_duration_seconds_count'), 2);
  m.renderDuration.observe(0.03);
  assert.equal(await sample(m, 'chartrelease_render_duration_seconds_count'), 1);
});

test('chartrelease_condition: 1 for the current status, 0 for the others; vanished types and deleted releases are removed', async () => {
  const m = new OperatorMetrics({ processMetrics: false });
  const series = (type: string, status: string) => `chartrelease_condition{name="api",namespace="shop",type="${type}",status="${status}"}`;
  m.setReleaseConditions('shop', 'api', [
    { type: 'Ready', status: 'False' },
    { type: 'Reconciling', status: 'True' },
  ]);
  assert.equal(await sample(m, series('Ready', 'False')), 1);
  assert.equal(await sample(m, series('Ready', 'True')), 0);
  assert.equal(await sample(m, series('Ready', 'Unknown')), 0);
  assert.equal(await sample(m, series('Reconciling', 'True')), 1);

  m.setReleaseConditions('shop', 'api', [{ type: 'Ready', status: 'True' }]);
  assert.equal(await sample(m, series('Ready', 'True')), 1);
  assert.equal(await sample(m, series('Ready', 'False')), 0);
  assert.equal(await sample(m, series('Reconciling', 'True')), undefined, 'a condition type the release lost is removed');

  m.setReleaseConditions('shop', 'web', [{ type: 'Ready', status: 'True' }]);
  m.forgetRelease('shop', 'api');
  assert.equal(await sample(m, series('Ready', 'True')), undefined);
  assert.equal(await sample(m, 'chartrelease_condition{name="web",namespace="shop",type="Ready",status="True"}'), 1, 'other releases keep theirs');
});
