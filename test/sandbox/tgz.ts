// Archives for the hostile-archive tests and the fuzz suite, built with the one tar builder next to
// the chart loader's tests.
import { tgz } from '../../src/chart/tgz.test-helper.js';

export { tar, tgz, type TarInput } from '../../src/chart/tgz.test-helper.js';

export const chartYaml = (name: string) => `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n`;

/** A packaged chart `name` whose charts/ holds `inner` (a packaged chart) `depth` times down. */
export function nestedArchive(depth: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  let inner = tgz([{ name: `c${depth}/Chart.yaml`, data: chartYaml(`c${depth}`) }, { name: `c${depth}/payload`, data: payload }]);
  for (let i = depth - 1; i >= 0; i--) {
    inner = tgz([{ name: `c${i}/Chart.yaml`, data: chartYaml(`c${i}`) }, { name: `c${i}/charts/c${i + 1}.tgz`, data: inner }]);
  }
  return inner;
}
