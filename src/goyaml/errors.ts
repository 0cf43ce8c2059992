// Errors of the YAML layer, worded as Helm's Go libraries word them, with the place they come from.

/**
 * A YAML or TOML error. `message` is exactly the Go error text (what Helm prints or stores in
 * `fromYaml`'s `Error` key); `source` names the file and `line` is the 1-based line when known, so
 * callers can say where the problem is without changing the text Go would produce.
 */
export class YamlError extends Error {
  override name = 'YamlError';
  constructor(
    message: string,
    readonly source?: string,
    readonly line?: number,
  ) {
    super(message);
  }
}
