// The flags of `chartrelease template`: helm template's, plus the render limits.
import { RENDER_LIMIT_FLAGS } from '../sandbox/limits.js';
import { flagHelp, type FlagSpec } from './flags.js';
import { VALUES_FLAGS } from './values-flags.js';

export const TEMPLATE_FLAGS: FlagSpec[] = [
  ...VALUES_FLAGS,
  { name: 'namespace', short: 'n', kind: 'string', usage: 'namespace scope for this request (default "default")' },
  { name: 'kube-version', kind: 'string', usage: 'Kubernetes version used for Capabilities.KubeVersion (default v1.35.0)' },
  { name: 'api-versions', short: 'a', kind: 'stringSlice', usage: 'Kubernetes api versions used for Capabilities.APIVersions (multiple can be specified)' },
  { name: 'include-crds', kind: 'bool', usage: 'include CRDs in the templated output' },
  { name: 'skip-tests', kind: 'bool', usage: 'skip tests from templated output' },
  { name: 'no-hooks', kind: 'bool', usage: 'prevent hooks from running during install (and from the output)' },
  { name: 'show-only', short: 's', kind: 'stringArray', usage: 'only show manifests rendered from the given templates' },
  { name: 'is-upgrade', kind: 'bool', usage: 'set .Release.IsUpgrade instead of .Release.IsInstall' },
  { name: 'output-dir', kind: 'string', usage: 'writes the executed templates to files in output-dir instead of stdout' },
  { name: 'release-name', kind: 'bool', usage: 'use release name in the output-dir path.' },
  { name: 'debug', kind: 'bool', usage: 'on a rendering error, print what was rendered (every file, when a document is not valid YAML)' },
  { name: 'repo', kind: 'string', usage: 'chart repository url where to locate the requested chart' },
  { name: 'version', kind: 'string', usage: 'specify a version constraint for the chart version to use. This constraint can be a specific tag (e.g. 1.1.1) or it may reference a valid range (e.g. ^2.0.0). If this is not specified, the latest version is used' },
  { name: 'username', kind: 'string', usage: 'chart repository username where to locate the requested chart' },
  { name: 'password', kind: 'string', usage: 'chart repository password where to locate the requested chart' },
  { name: 'ca-file', kind: 'string', usage: 'verify certificates of HTTPS-enabled servers using this CA bundle' },
  { name: 'cert-file', kind: 'string', usage: 'identify HTTPS client using this SSL certificate file' },
  { name: 'key-file', kind: 'string', usage: 'identify HTTPS client using this SSL key file' },
  { name: 'insecure-skip-tls-verify', kind: 'bool', usage: 'skip tls certificate checks for the chart download' },
  { name: 'pass-credentials', kind: 'bool', usage: 'pass credentials to all domains' },
  { name: 'plain-http', kind: 'bool', usage: 'use insecure HTTP connections for the chart download' },
  ...RENDER_LIMIT_FLAGS,
  { name: 'help', short: 'h', kind: 'bool', usage: 'help for template' },
];

export const HELP = `Render chart templates locally and display the output, exactly as \`helm template\` does.

Any values that would normally be looked up or retrieved in-cluster will be faked locally
(\`lookup\` returns an empty map, .Capabilities are Helm's defaults unless --kube-version and
--api-versions say otherwise).

Usage:
  chartrelease template [NAME] [CHART] [flags]

Flags:
${flagHelp(TEMPLATE_FLAGS)}
`;
