// Rendering charts as Helm does: built-in objects, Helm's template functions, output assembly
// (documents, hooks, install order) and `helm template`'s text.
export { renderChart, sortTemplatePaths, RenderError, type RenderOptions, type RenderResult } from './render.js';
export { formatTemplateOutput, ShowOnlyError, type TemplateOutputOptions } from './output.js';
export { sortManifests, ManifestParseError, type Manifest, type ManifestHead, type Hook, type HookEvent } from './manifests.js';
export { sortByInstallOrder, INSTALL_ORDER } from './install-order.js';
export { DEFAULT_API_VERSIONS, DEFAULT_KUBE_VERSION, parseKubeVersion, KubeVersionError } from './builtins.js';
export { INCLUDE_MAX_DEPTH, type Lookup } from './funcs.js';
