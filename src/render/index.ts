// Rendering charts as Helm does: built-in objects, Helm's template functions, output assembly
// (documents, hooks, install order) and `helm template`'s text.
export { renderChart, RenderError, type RenderOptions, type RenderResult } from './render.js';
export { formatTemplateOutput, ShowOnlyError, type TemplateOutputOptions } from './output.js';
export { ManifestParseError, type Manifest, type ManifestHead, type Hook, type HookEvent } from './manifests.js';
export { KubeVersionError } from './builtins.js';
export type { Lookup } from './funcs.js';
