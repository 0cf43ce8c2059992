// The in-memory chart, as Helm's loader builds it (pkg/chart/v2): metadata from Chart.yaml (and
// requirements.yaml for apiVersion v1), templates, default values, schema, other files, and the
// charts found under charts/ (directories or .tgz), before dependency processing.
import type { GoMap, GoValue } from '../template/value.js';

export interface ChartFile {
  /** Path relative to the chart root, '/'-separated (`templates/deployment.yaml`). */
  name: string;
  data: Buffer;
}

export interface Maintainer {
  name: string;
  email: string;
  url: string;
}

/** One entry of Chart.yaml `dependencies` (or requirements.yaml for v1 charts). */
export interface Dependency {
  name: string;
  version: string;
  repository: string;
  /** Comma-separated value paths; the first that holds a bool decides. */
  condition: string;
  tags: string[];
  enabled: boolean;
  /** Strings (`exports.NAME` into the parent's top level) or `{child, parent}` maps. */
  importValues: GoValue[];
  alias: string;
}

/** Chart.yaml, with the field meanings of Helm's Metadata struct. */
export interface ChartMetadata {
  apiVersion: string;
  name: string;
  version: string;
  kubeVersion: string;
  description: string;
  type: string;
  keywords: string[];
  home: string;
  sources: string[];
  /** null when Chart.yaml (or requirements.yaml) declares none: Helm then skips dependency processing. */
  dependencies: Dependency[] | null;
  maintainers: Maintainer[];
  icon: string;
  appVersion: string;
  deprecated: boolean;
  annotations: Record<string, string>;
  condition: string;
  tags: string;
}

export interface Chart {
  metadata: ChartMetadata;
  /** Files under templates/, in load order. */
  templates: ChartFile[];
  /** values.yaml (all documents merged); an empty map when absent. */
  values: GoMap;
  /** values.yaml as written (for line numbers in `chartrelease values --explain`); absent when there is none. */
  valuesText?: string;
  /** values.schema.json, raw. */
  schema: Buffer | null;
  /** Every other file (what `.Files` sees, plus crds/): not Chart.yaml, values.yaml, templates/ or charts/. */
  files: ChartFile[];
  /** Charts found in charts/, sorted by their directory or archive name. */
  dependencies: Chart[];
}

/** Helm's CRD listing: files under crds/ with a .yaml, .yml or .json extension, with the chart path. */
export interface CrdFile {
  /** `<chart path>/crds/<file>`, e.g. `mychart/charts/sub/crds/crd.yaml`. */
  filename: string;
  file: ChartFile;
}
