// Sprig's crypto functions (crypto.go): bcrypt/htpasswd, derivePassword (Master Password), private
// keys, certificates (the sprig.certificate struct), AES-256-CBC.
import { createCipheriv, createDecipheriv, createHmac, randomBytes, scryptSync } from 'node:crypto';
import { GoError, GoPanic, GoStruct, formatValue, goStringFromBytes, goStringToBytes, type FuncMap, type GoValue } from '../value.js';
import { intArg } from './cast.js';
import { BcryptError, bcryptHash } from './bcrypt.js';
import { CorruptInput, base64Decode } from './encoding.js';
import { goFunc } from './signature.js';
import {
  CertificateError, createCertificate, generateKey, isGoIp, parseCertificatePem, parsePrivateKeyPem, privateKeyPem,
  type CertificateTemplate, type PrivateKey,
} from './x509.js';

function bcrypt(input: string): string {
  try {
    return bcryptHash(goStringToBytes(input));
  } catch (e) {
    if (e instanceof BcryptError) return `failed to encrypt string with bcrypt: ${e.message}`;
    throw e;
  }
}

const passwordTemplates: Record<string, string[]> = {
  maximum: ['anoxxxxxxxxxxxxxxxxx', 'axxxxxxxxxxxxxxxxxno'],
  long: ['CvcvnoCvcvCvcv', 'CvcvCvcvnoCvcv', 'CvcvCvcvCvcvno', 'CvccnoCvcvCvcv', 'CvccCvcvnoCvcv', 'CvccCvcvCvcvno',
    'CvcvnoCvccCvcv', 'CvcvCvccnoCvcv', 'CvcvCvccCvcvno', 'CvcvnoCvcvCvcc', 'CvcvCvcvnoCvcc', 'CvcvCvcvCvccno',
    'CvccnoCvccCvcv', 'CvccCvccnoCvcv', 'CvccCvccCvcvno', 'CvcvnoCvccCvcc', 'CvcvCvccnoCvcc', 'CvcvCvccCvccno',
    'CvccnoCvcvCvcc', 'CvccCvcvnoCvcc', 'CvccCvcvCvccno'],
  medium: ['CvcnoCvc', 'CvcCvcno'],
  short: ['Cvcn'],
  basic: ['aaanaaan', 'aannaaan', 'aaannaaa'],
  pin: ['nnnn'],
};

const templateCharacters: Record<string, string> = {
  V: 'AEIOU',
  C: 'BCDFGHJKLMNPQRSTVWXYZ',
  v: 'aeiou',
  c: 'bcdfghjklmnpqrstvwxyz',
  A: 'AEIOUBCDFGHJKLMNPQRSTVWXYZ',
  a: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz',
  n: '0123456789',
  o: "@&%?,=[]_:-+*$#!'^~;()/.",
  x: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()',
};

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};

/** The Master Password algorithm: scrypt(N=32768, r=8, p=2) key, HMAC-SHA256 seed, template. */
function derivePassword(counter: number, type: string, password: string, user: string, site: string): string {
  const templates = passwordTemplates[type];
  if (!templates) return `cannot find password template ${type}`;
  const seedName = Buffer.from('com.lyndir.masterpassword');
  const userBytes = goStringToBytes(user);
  const siteBytes = goStringToBytes(site);
  const salt = Buffer.concat([seedName, u32(userBytes.length), userBytes]);
  const key = scryptSync(goStringToBytes(password), salt, 64, { N: 32768, r: 8, p: 2, maxmem: 64 * 1024 * 1024 });
  const seed = createHmac('sha256', key).update(Buffer.concat([seedName, u32(siteBytes.length), siteBytes, u32(counter)])).digest();
  const template = templates[seed[0]! % templates.length]!;
  return [...template].map((c, i) => templateCharacters[c]![seed[i + 1]! % templateCharacters[c]!.length]).join('');
}

function generatePrivateKey(type: string): string {
  switch (type) {
    case '':
    case 'rsa':
      return privateKeyPem(generateKey('rsa', 4096));
    case 'dsa':
    case 'ecdsa':
    case 'ed25519':
      return privateKeyPem(generateKey(type));
    default:
      return `Unknown type ${type}`;
  }
}

/** The sprig.certificate struct {Cert, Key string}. */
export function certificate(cert: string, key: string): GoStruct {
  return new GoStruct('sprig.certificate', { Cert: cert, Key: key });
}

function stringsOf(list: GoValue[] | null, what: string): string[] {
  return (list ?? []).map((v) => {
    if (typeof v !== 'string') throw new CertificateError(`${what}: ${formatValue(v)} is not a string`);
    return v;
  });
}

interface CryptoEnvironment {
  /** time.Now as Unix nanoseconds (certificate validity starts now). */
  now: () => bigint;
}

function certFuncs(env: CryptoEnvironment) {
  const template = (cn: string, ips: GoValue[] | null, dns: GoValue[] | null, days: GoValue, isCA: boolean): CertificateTemplate => {
    const ipList = stringsOf(ips, 'error parsing ip');
    for (const ip of ipList) if (!isGoIp(ip)) throw new CertificateError(`error parsing ip: ${ip}`);
    const now = new Date(Number(env.now() / 1_000_000n));
    return {
      commonName: cn,
      ips: ipList,
      dnsNames: stringsOf(dns, 'error processing alternate dns name'),
      notBefore: now,
      notAfter: new Date(now.getTime() + intArg(days) * 86400000),
      isCA,
    };
  };
  /** Go's (certificate, error) result: errors keep their text, as Sprig returns them. */
  const run = (f: () => GoValue): GoValue => {
    try {
      return f();
    } catch (e) {
      if (e instanceof CertificateError) throw new GoError(e.message);
      throw e;
    }
  };
  const keyFrom = (pemText: string) => {
    try {
      return parsePrivateKeyPem(pemText);
    } catch (e) {
      throw new CertificateError(`parsing private key: ${(e as Error).message}`);
    }
  };
  const ca = (cn: string, days: GoValue, key: () => PrivateKey) =>
    run(() => {
      const k = key();
      return certificate(createCertificate(template(cn, null, null, days, true), k, 'self'), privateKeyPem(k));
    });
  const selfSigned = (cn: string, ips: GoValue[] | null, dns: GoValue[] | null, days: GoValue, key: () => PrivateKey) =>
    run(() => {
      const t = template(cn, ips, dns, days, false);
      const k = key();
      return certificate(createCertificate(t, k, 'self'), privateKeyPem(k));
    });
  const signed = (cn: string, ips: GoValue[] | null, dns: GoValue[] | null, days: GoValue, caCert: GoStruct, key: () => PrivateKey) =>
    run(() => {
      let parent: ReturnType<typeof parseCertificatePem>;
      try {
        parent = parseCertificatePem(String(caCert.fields.Cert));
      } catch (e) {
        const msg = (e as Error).message;
        throw new CertificateError(msg === 'unable to decode certificate' ? msg : `error parsing certificate: decodedSignerCert.Bytes: ${msg}`);
      }
      let signerKey: PrivateKey;
      try {
        signerKey = parsePrivateKeyPem(String(caCert.fields.Key));
      } catch (e) {
        throw new CertificateError(`error parsing private key: ${(e as Error).message}`);
      }
      const t = template(cn, ips, dns, days, false);
      const k = key();
      return certificate(createCertificate(t, k, { ...parent, key: signerKey }), privateKeyPem(k));
    });
  const rsa = () => generateKey('rsa', 2048);
  return {
    genCA: goFunc('(cn string, daysValid int) (sprig.certificate, error)', (cn: string, d: GoValue) => ca(cn, d, rsa)),
    genCAWithKey: goFunc('(cn string, daysValid int, privPEM string) (sprig.certificate, error)', (cn: string, d: GoValue, p: string) =>
      ca(cn, d, () => keyFrom(p))),
    genSelfSignedCert: goFunc('(cn string, ips []interface{}, alternateDNS []interface{}, daysValid int) (sprig.certificate, error)',
      (cn: string, ips: GoValue[] | null, dns: GoValue[] | null, d: GoValue) => selfSigned(cn, ips, dns, d, rsa)),
    genSelfSignedCertWithKey: goFunc('(cn string, ips []interface{}, alternateDNS []interface{}, daysValid int, privPEM string) (sprig.certificate, error)',
      (cn: string, ips: GoValue[] | null, dns: GoValue[] | null, d: GoValue, p: string) => selfSigned(cn, ips, dns, d, () => keyFrom(p))),
    genSignedCert: goFunc('(cn string, ips []interface{}, alternateDNS []interface{}, daysValid int, ca sprig.certificate) (sprig.certificate, error)',
      (cn: string, ips: GoValue[] | null, dns: GoValue[] | null, d: GoValue, c: GoStruct) => signed(cn, ips, dns, d, c, rsa)),
    genSignedCertWithKey: goFunc('(cn string, ips []interface{}, alternateDNS []interface{}, daysValid int, ca sprig.certificate, privPEM string) (sprig.certificate, error)',
      (cn: string, ips: GoValue[] | null, dns: GoValue[] | null, d: GoValue, c: GoStruct, p: string) => signed(cn, ips, dns, d, c, () => keyFrom(p))),
    buildCustomCert: goFunc('(b64cert string, b64key string) (sprig.certificate, error)', (b64cert: string, b64key: string) => {
      const decode = (s: string, what: string) => {
        try {
          return goStringFromBytes(base64Decode(goStringToBytes(s)));
        } catch (e) {
          if (e instanceof CorruptInput) throw new GoError(`unable to decode base64 ${what}`);
          throw e;
        }
      };
      const cert = decode(b64cert, 'certificate');
      const key = decode(b64key, 'private key');
      return run(() => {
        try {
          parseCertificatePem(cert);
        } catch (e) {
          const msg = (e as Error).message;
          throw new CertificateError(msg === 'unable to decode certificate' ? msg : `error parsing certificate: decodedCert.Bytes: ${msg}`);
        }
        try {
          parsePrivateKeyPem(key);
        } catch (e) {
          throw new CertificateError(`error parsing private key: ${(e as Error).message}`);
        }
        return certificate(cert, key);
      });
    }),
  };
}

/** AES-256-CBC with the password zero-padded (or cut) to 32 bytes, a random IV first, base64. */
function encryptAES(password: string, plaintext: string): string {
  if (plaintext === '') return '';
  const key = Buffer.alloc(32);
  Buffer.from(goStringToBytes(password)).copy(key);
  const iv = randomBytes(16);
  const c = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([iv, c.update(goStringToBytes(plaintext)), c.final()]).toString('base64');
}

function decryptAES(password: string, crypt64: string): string {
  if (crypt64 === '') return '';
  const key = Buffer.alloc(32);
  Buffer.from(goStringToBytes(password)).copy(key);
  let crypt: Uint8Array;
  try {
    crypt = base64Decode(goStringToBytes(crypt64));
  } catch (e) {
    if (e instanceof CorruptInput) throw new GoError(e.message);
    throw e;
  }
  // DecodeString allocates DecodedLen(len(s)) = len(s)/4*3 bytes: that is the slice's capacity.
  const capacity = Math.floor(goStringToBytes(crypt64).length / 4) * 3;
  if (crypt.length < 16) throw new GoPanic(`runtime error: slice bounds out of range [:16] with capacity ${capacity}`);
  const body = crypt.subarray(16);
  if (body.length % 16 !== 0) throw new GoPanic('crypto/cipher: input not full blocks');
  if (body.length === 0) throw new GoPanic('runtime error: index out of range [-1]');
  const d = createDecipheriv('aes-256-cbc', key, crypt.subarray(0, 16));
  d.setAutoPadding(false);
  const plain = Buffer.concat([d.update(body), d.final()]);
  const cut = plain.length - plain[plain.length - 1]!;
  if (cut < 0) throw new GoPanic(`runtime error: slice bounds out of range [:${cut}]`);
  return goStringFromBytes(plain.subarray(0, cut));
}

export function cryptoFuncs(env: CryptoEnvironment): FuncMap {
  return {
    bcrypt: goFunc('(input string) string', bcrypt),
    htpasswd: goFunc('(username string, password string) string', (user: string, pw: string) =>
      user.includes(':') ? `invalid username: ${user}` : `${user}:${bcrypt(pw)}`),
    derivePassword: goFunc('(counter uint32, passwordType, password, user, site string) string',
      (c: GoValue, t: string, pw: string, user: string, site: string) => derivePassword(intArg(c), t, pw, user, site)),
    genPrivateKey: goFunc('(typ string) string', generatePrivateKey),
    ...certFuncs(env),
    encryptAES: goFunc('(password string, plaintext string) (string, error)', encryptAES),
    decryptAES: goFunc('(password string, crypt64 string) (string, error)', decryptAES),
  };
}
