// YAML and TOML exactly as Helm's Go libraries read and write them.
//
// Reading: parseYaml (sigs.k8s.io/yaml Unmarshal into interface{}), parseYamlMap / parseYamlList
// (fromYaml / fromYamlArray targets), parseYamlDocuments and parseValuesYaml (Helm 4's values files).
// Writing: toYaml / mustToYaml / marshalYaml (sigs.k8s.io/yaml Marshal), toYamlPretty (go-yaml v3).
// Rendered output: splitManifests (releaseutil.SplitManifests), parseManifestHead (util.SimpleHead).
// TOML: toToml / fromToml / parseToml (BurntSushi/toml). Errors are YamlErrors with Go's texts.
export { YamlError } from './errors.js';
export { parseYaml, parseYamlDocuments, parseValuesYaml, parseYamlMap, parseYamlList } from './parse.js';
export { marshalYaml, toYaml, mustToYaml, toYamlPretty } from './encode.js';
export { splitManifests, parseManifestHead, ManifestHeadCache, goTrimSpace, type ManifestHead } from './manifests.js';
export { toToml, fromToml, parseToml } from './toml.js';
