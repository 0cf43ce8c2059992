// YAML and TOML exactly as Helm's Go libraries read and write them.
export { YamlError } from './errors.js';
export { parseYaml, parseYamlDocuments, parseValuesYaml, parseYamlMap, parseYamlList } from './parse.js';
export { marshalYaml, toYaml, mustToYaml, toYamlPretty } from './encode.js';
export { splitManifests, parseManifestHead, goTrimSpace, type ManifestHead } from './manifests.js';
export { toToml, fromToml, parseToml } from './toml.js';
