// Private keys and X.509 certificates as Sprig's crypto functions make them with Go's crypto/x509:
// keys from node's crypto, certificates written in DER here (node can sign but not build them).
import { KeyObject, createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { createRequire } from 'node:module';
import {
  bitString, bool, children, explicit, goAsn1String, integer, integerValue, nullValue, octetString, oid,
  pem, pemDecode, readAll, sequence, set, time, tlv, type Der,
} from './der.js';

// node:net (for isIP) is loaded when a template first checks an IP address: it costs every render
// worker's start-up several milliseconds otherwise.
let net: typeof import('node:net') | undefined;
const isIP = (s: string): number => (net ??= createRequire(import.meta.url)('node:net') as typeof import('node:net')).isIP(s);

/** An error a Go function returns (the text Sprig passes on). */
export class CertificateError extends Error {}

const DSA_OID = '1.2.840.10040.4.1';

/** A private key of one of the kinds Sprig generates. */
export type PrivateKey = { kind: 'rsa' | 'ecdsa' | 'ed25519'; key: KeyObject } | { kind: 'dsa'; key: KeyObject; der: Uint8Array };

export function generateKey(kind: 'rsa' | 'ecdsa' | 'ed25519' | 'dsa', rsaBits = 2048): PrivateKey {
  switch (kind) {
    case 'rsa':
      return { kind, key: generateKeyPairSync('rsa', { modulusLength: rsaBits }).privateKey };
    case 'ecdsa':
      return { kind, key: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey };
    case 'ed25519':
      return { kind, key: generateKeyPairSync('ed25519').privateKey };
    case 'dsa': {
      const key = generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 }).privateKey;
      return { kind, key, der: dsaPrivateKeyDer(key) };
    }
  }
}

/** Sprig's DSAKeyFormat {Version, P, Q, G, Y, X} from a PKCS#8 DSA key (Y = G^X mod P). */
function dsaPrivateKeyDer(key: KeyObject): Uint8Array {
  const info = children(readAll(key.export({ type: 'pkcs8', format: 'der' }))[0]!);
  const [p, q, g] = children(children(info[1]!)[1]!).map(integerValue) as [bigint, bigint, bigint];
  const x = integerValue(readAll(info[2]!.content)[0]!);
  let y = 1n;
  for (let base = g % p, e = x; e > 0n; e >>= 1n, base = (base * base) % p) if (e & 1n) y = (y * base) % p;
  return sequence(integer(0n), integer(p), integer(q), integer(g), integer(y), integer(x));
}

/** pemBlockForKey: RSA PKCS#1, EC SEC 1, DSA in Sprig's own format, others PKCS#8. */
export function privateKeyPem(k: PrivateKey): string {
  switch (k.kind) {
    case 'rsa':
      return k.key.export({ type: 'pkcs1', format: 'pem' }) as string;
    case 'ecdsa':
      return k.key.export({ type: 'sec1', format: 'pem' }) as string;
    case 'dsa':
      return pem('DSA PRIVATE KEY', k.der);
    default:
      return k.key.export({ type: 'pkcs8', format: 'pem' }) as string;
  }
}

/** Sprig's parsePrivateKeyPEM, with its error texts. */
export function parsePrivateKeyPem(text: string): PrivateKey {
  const block = pemDecode(text);
  if (!block) throw new CertificateError('no PEM data in input');
  const der = Buffer.from(block.bytes);
  const load = (type: 'pkcs8' | 'pkcs1' | 'sec1', what: string): KeyObject => {
    try {
      return createPrivateKey({ key: der, format: 'der', type });
    } catch {
      throw new CertificateError(`${what}: x509: malformed private key`);
    }
  };
  const wrap = (key: KeyObject): PrivateKey => {
    const t = key.asymmetricKeyType;
    if (t === 'rsa' || t === 'ed25519') return { kind: t, key };
    if (t === 'ec') return { kind: 'ecdsa', key };
    if (t === 'dsa') return { kind: 'dsa', key, der: dsaPrivateKeyDer(key) };
    throw new CertificateError(`unsupported private key type ${t}`);
  };
  if (block.type === 'PRIVATE KEY') return wrap(load('pkcs8', 'decoding PEM as PKCS#8'));
  if (!block.type.endsWith(' PRIVATE KEY')) throw new CertificateError(`no private key data in PEM block of type ${block.type}`);
  switch (block.type.slice(0, -12)) {
    case 'RSA':
      return wrap(load('pkcs1', 'parsing RSA private key from PEM'));
    case 'EC':
      return wrap(load('sec1', 'parsing EC private key from PEM'));
    case 'DSA': {
      try {
        const [, p, q, g, , x] = children(readAll(der)[0]!);
        const params = sequence(integer(integerValue(p!)), integer(integerValue(q!)), integer(integerValue(g!)));
        const pkcs8 = sequence(integer(0n), sequence(oid(DSA_OID), params), octetString(integer(integerValue(x!))));
        return { kind: 'dsa', key: createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' }), der };
      } catch {
        throw new CertificateError('parsing DSA private key from PEM: asn1: structure error');
      }
    }
    default:
      throw new CertificateError(`invalid private key type ${block.type}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Certificates.

export interface CertificateTemplate {
  commonName: string;
  ips: string[];
  dnsNames: string[];
  notBefore: Date;
  notAfter: Date;
  isCA: boolean;
}

/** What signing needs from the parent certificate: its raw subject and its subject key id. */
export interface Issuer {
  subject: Der;
  subjectKeyId?: Uint8Array;
  key: PrivateKey;
}

const nameDer = (cn: string) => (cn === '' ? sequence() : sequence(set(sequence(oid('2.5.4.3'), goAsn1String(cn)))));

function extension(id: string, critical: boolean, value: Der): Der {
  return critical ? sequence(oid(id), bool(true), octetString(value)) : sequence(oid(id), octetString(value));
}

function ipBytes(ip: string): Uint8Array {
  if (isIP(ip) === 4) return Uint8Array.from(ip.split('.').map(Number));
  const v6 = ip.toLowerCase();
  const [head, tail = ''] = v6.includes('::') ? v6.split('::') : [v6, undefined as unknown as string];
  const parse = (s: string | undefined) => (s ? s.split(':') : []);
  let groups = parse(head);
  let rest = parse(tail);
  const last = (rest.length ? rest : groups).at(-1) ?? '';
  const v4 = last.includes('.') ? last.split('.').map(Number) : undefined;
  if (v4) {
    const pair = [((v4[0]! << 8) | v4[1]!).toString(16), ((v4[2]! << 8) | v4[3]!).toString(16)];
    if (rest.length) rest = [...rest.slice(0, -1), ...pair];
    else groups = [...groups.slice(0, -1), ...pair];
  }
  const fill = v6.includes('::') ? Array(8 - groups.length - rest.length).fill('0') : [];
  const all = [...groups, ...fill, ...rest];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    const n = parseInt(g, 16);
    out[i * 2] = n >> 8;
    out[i * 2 + 1] = n & 0xff;
  });
  // Go writes an IPv4-mapped address as its 4 bytes.
  if (out.subarray(0, 10).every((b) => b === 0) && out[10] === 0xff && out[11] === 0xff) return out.subarray(12);
  return out;
}

/** net.ParseIP's acceptance. */
export const isGoIp = (s: string) => isIP(s) !== 0 && !/(^|\.)0\d/.test(s.includes(':') ? '' : s);

function signatureAlgorithm(k: PrivateKey): Der {
  switch (k.kind) {
    case 'rsa':
      return sequence(oid('1.2.840.113549.1.1.11'), nullValue());
    case 'ecdsa':
      return sequence(oid('1.2.840.10045.4.3.2'));
    case 'ed25519':
      return sequence(oid('1.3.101.112'));
    default:
      throw new CertificateError('x509: certificate private key does not implement crypto.Signer');
  }
}

/** x509.CreateCertificate for Sprig's template (key usages, server+client auth, basic constraints). */
export function createCertificate(t: CertificateTemplate, subjectKey: PrivateKey, issuer: Issuer | 'self'): string {
  if (subjectKey.kind === 'dsa') throw new CertificateError('x509: unsupported public key type: *dsa.PublicKey');
  const spki = createPublicKey(subjectKey.key).export({ type: 'spki', format: 'der' });
  const signer = issuer === 'self' ? subjectKey : issuer.key;
  const sigAlg = signatureAlgorithm(signer);
  const subject = nameDer(t.commonName);
  const issuerName = issuer === 'self' ? subject : issuer.subject;
  const keyBits = children(readAll(spki)[0]!)[1]!.content.subarray(1);
  const extensions: Der[] = [
    extension('2.5.29.15', true, t.isCA ? bitString(Uint8Array.from([0xa4]), 2) : bitString(Uint8Array.from([0xa0]), 5)),
    extension('2.5.29.37', false, sequence(oid('1.3.6.1.5.5.7.3.1'), oid('1.3.6.1.5.5.7.3.2'))),
    extension('2.5.29.19', true, t.isCA ? sequence(bool(true)) : sequence()),
  ];
  if (t.isCA) extensions.push(extension('2.5.29.14', false, octetString(createHash('sha1').update(keyBits).digest())));
  if (issuer !== 'self' && issuer.subjectKeyId && !Buffer.from(issuer.subject).equals(Buffer.from(subject))) {
    extensions.push(extension('2.5.29.35', false, sequence(tlv(0x80, issuer.subjectKeyId))));
  }
  if (t.dnsNames.length || t.ips.length) {
    const names = [...t.dnsNames.map((d) => tlv(0x82, Buffer.from(d, 'latin1'))), ...t.ips.map((ip) => tlv(0x87, ipBytes(ip)))];
    extensions.push(extension('2.5.29.17', false, sequence(...names)));
  }
  const serial = BigInt('0x' + randomBytes(16).toString('hex'));
  const tbs = sequence(
    explicit(0, integer(2n)),
    integer(serial),
    sigAlg,
    issuerName,
    sequence(time(t.notBefore), time(t.notAfter)),
    subject,
    spki,
    explicit(3, sequence(...extensions)),
  );
  const signature = sign(signer.kind === 'ed25519' ? null : 'sha256', tbs, signer.key);
  return pem('CERTIFICATE', sequence(tbs, sigAlg, bitString(signature)));
}

/** Reads the subject and subject key id of a PEM certificate (x509.ParseCertificate's part we need). */
export function parseCertificatePem(text: string): { subject: Der; subjectKeyId?: Uint8Array } {
  const block = pemDecode(text);
  if (!block) throw new CertificateError('unable to decode certificate');
  try {
    const tbs = children(children(readAll(block.bytes)[0]!)[0]!);
    const offset = tbs[0]!.tag === 0xa0 ? 1 : 0;
    const subject = tbs[offset + 4]!.raw;
    let subjectKeyId: Uint8Array | undefined;
    const ext = tbs.find((n) => n.tag === 0xa3);
    for (const e of ext ? children(children(ext)[0]!) : []) {
      const parts = children(e);
      if (Buffer.from(parts[0]!.content).toString('hex') === '551d0e') subjectKeyId = readAll(parts.at(-1)!.content)[0]!.content;
    }
    return { subject, subjectKeyId };
  } catch {
    throw new CertificateError('x509: malformed certificate');
  }
}

