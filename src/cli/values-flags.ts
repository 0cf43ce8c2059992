// The values and chart-source flags `template`, `values` and `diff` share, apart from the code that
// reads them (values-input.ts): `chartrelease template` parses its flags on the command's thread
// without loading the chart code, which runs in the render worker.
import type { FlagSpec } from './flags.js';

export const VALUES_FLAGS: FlagSpec[] = [
  { name: 'values', short: 'f', kind: 'stringSlice', usage: 'specify values in a YAML file (can specify multiple)' },
  { name: 'set', kind: 'stringArray', usage: 'set values on the command line (can specify multiple or separate values with commas: key1=val1,key2=val2)' },
  { name: 'set-string', kind: 'stringArray', usage: 'set STRING values on the command line (can specify multiple or separate values with commas: key1=val1,key2=val2)' },
  { name: 'set-json', kind: 'stringArray', usage: 'set JSON values on the command line (can specify multiple or separate values with commas: key1=jsonval1,key2=jsonval2 or using json format: {"key1": jsonval1, "key2": "jsonval2"})' },
  { name: 'set-file', kind: 'stringArray', usage: 'set values from respective files specified via the command line (can specify multiple or separate values with commas: key1=path1,key2=path2)' },
  { name: 'set-literal', kind: 'stringArray', usage: 'set a literal STRING value on the command line' },
];

/** template's flags that say where a chart comes from (`--repo URL --version ^1`, credentials, TLS): `values` and `diff` take them too. */
export const CHART_SOURCE_FLAG_NAMES = new Set(['repo', 'version', 'username', 'password', 'ca-file', 'cert-file', 'key-file', 'insecure-skip-tls-verify', 'pass-credentials', 'plain-http']);
