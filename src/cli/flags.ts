// Command-line flags the way helm's (cobra/pflag) parse them: `--name value`, `--name=value`, `-n value`,
// `-nvalue`, booleans as `--flag` or `--flag=false`, string slices split at commas, string arrays
// repeated, `--` ends the flags.

export type FlagKind = 'bool' | 'string' | 'stringArray' | 'stringSlice';

export interface FlagSpec {
  name: string;
  short?: string;
  kind: FlagKind;
  usage: string;
  /** Shown in --help for string flags (`string`, `stringArray`, `strings`). */
  valueName?: string;
}

export type FlagValues = Record<string, boolean | string | string[] | undefined>;

export class FlagError extends Error {
  override name = 'FlagError';
}

/** Splits `args` into flags (by spec name) and positional arguments. */
export function parseFlags(args: readonly string[], specs: readonly FlagSpec[]): { flags: FlagValues; positional: string[] } {
  const flags: FlagValues = {};
  const positional: string[] = [];
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const set = (spec: FlagSpec, value: string | undefined, shown: string) => {
    if (spec.kind === 'bool') {
      if (value === undefined || value === 'true' || value === '1' || value === 't' || value === 'T' || value === 'TRUE' || value === 'True') flags[spec.name] = true;
      else if (value === 'false' || value === '0' || value === 'f' || value === 'F' || value === 'FALSE' || value === 'False') flags[spec.name] = false;
      else throw new FlagError(`invalid argument "${value}" for "${shown}" flag: strconv.ParseBool: parsing "${value}": invalid syntax`);
      return;
    }
    if (value === undefined) throw new FlagError(`flag needs an argument: ${shown}`);
    if (spec.kind === 'string') flags[spec.name] = value;
    else {
      const list = (flags[spec.name] as string[] | undefined) ?? [];
      if (spec.kind === 'stringSlice') list.push(...(value === '' ? [] : value.split(',')));
      else list.push(value);
      flags[spec.name] = list;
    }
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const spec = byName.get(name);
      if (!spec) throw new FlagError(`unknown flag: --${name}`);
      let value: string | undefined = eq < 0 ? undefined : arg.slice(eq + 1);
      if (value === undefined && spec.kind !== 'bool') {
        if (i + 1 >= args.length) throw new FlagError(`flag needs an argument: --${name}`);
        value = args[++i];
      }
      set(spec, value, `--${name}`);
    } else if (arg.startsWith('-') && arg.length > 1) {
      const short = arg[1]!;
      const spec = byShort.get(short);
      if (!spec) throw new FlagError(`unknown shorthand flag: '${short}' in ${arg}`);
      let value: string | undefined = arg.length > 2 ? arg.slice(arg[2] === '=' ? 3 : 2) : undefined;
      if (value === undefined && spec.kind !== 'bool') {
        if (i + 1 >= args.length) throw new FlagError(`flag needs an argument: '${short}' in -${short}`);
        value = args[++i];
      }
      set(spec, value, `-${short}, --${spec.name}`);
    } else positional.push(arg);
  }
  return { flags, positional };
}

/** The flags section of a --help text. */
export function flagHelp(specs: readonly FlagSpec[]): string {
  const rows = specs.map((s) => {
    const type = s.kind === 'bool' ? '' : ` ${s.valueName ?? (s.kind === 'string' ? 'string' : s.kind === 'stringSlice' ? 'strings' : 'stringArray')}`;
    return [`${s.short ? `-${s.short}, ` : '    '}--${s.name}${type}`, s.usage] as const;
  });
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, usage]) => `  ${left.padEnd(width)}   ${usage}`).join('\n');
}
