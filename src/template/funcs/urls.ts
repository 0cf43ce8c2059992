// Sprig's urlParse and urlJoin over the parts of Go's net/url they use: url.Parse into scheme,
// opaque, userinfo, host, path, raw query and fragment; url.URL.String() to put them back together.
import { GoPanic, goStringFromBytes, goStringToBytes, mapGet, typeName, type FuncMap, type GoMap } from '../value.js';
import { goQuote } from './gostrings.js';
import { nilDereference } from './reflect.js';
import { goFunc } from './signature.js';

type EscapeMode = 'path' | 'host' | 'userPassword' | 'fragment';

/** net/url's shouldEscape. */
function shouldEscape(c: string, mode: EscapeMode): boolean {
  if (/[A-Za-z0-9]/.test(c)) return false;
  if (mode === 'host' && `!$&'()*+,;=:[]<>"`.includes(c)) return false;
  if ('-_.~'.includes(c)) return false;
  if ('$&+,/:;=?@'.includes(c)) {
    if (mode === 'path') return c === '?';
    if (mode === 'userPassword') return '@/?:'.includes(c);
    return false;
  }
  if (mode === 'fragment' && '!()*'.includes(c)) return false;
  return true;
}

function escape(s: string, mode: EscapeMode): string {
  let out = '';
  for (const b of goStringToBytes(s)) {
    const c = String.fromCharCode(b);
    out += b < 0x80 && !shouldEscape(c, mode) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

class UrlError extends Error {}

function unescape(s: string): string {
  const bytes: number[] = [];
  const src = goStringToBytes(s);
  for (let i = 0; i < src.length; i++) {
    if (src[i] === 0x25) {
      const hex = goStringFromBytes(src.subarray(i + 1, i + 3));
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) {
        throw new UrlError(`invalid URL escape ${goQuote(goStringFromBytes(src.subarray(i, Math.min(i + 3, src.length))))}`);
      }
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(src[i]!);
  }
  return goStringFromBytes(Uint8Array.from(bytes));
}

interface Url {
  scheme: string;
  opaque: string;
  user?: { username: string; password?: string };
  host: string;
  path: string;
  rawQuery: string;
  forceQuery: boolean;
  fragment: string;
}

function userString(u: NonNullable<Url['user']>): string {
  let s = escape(u.username, 'userPassword');
  if (u.password !== undefined) s += ':' + escape(u.password, 'userPassword');
  return s;
}

/** url.Parse (not via a request). */
function parseUrl(raw: string): Url {
  try {
    return parseUrlInner(raw);
  } catch (e) {
    if (e instanceof UrlError) throw new UrlError(`parse ${goQuote(raw)}: ${e.message}`);
    throw e;
  }
}

function parseUrlInner(raw: string): Url {
  const hash = raw.indexOf('#');
  const u: Url = { scheme: '', opaque: '', host: '', path: '', rawQuery: '', forceQuery: false, fragment: '' };
  let rest = hash < 0 ? raw : raw.slice(0, hash);
  if (hash >= 0) u.fragment = unescape(raw.slice(hash + 1));
  if (/[\x00-\x1f\x7f]/.test(rest)) throw new UrlError('net/url: invalid control character in URL');
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(rest);
  if (scheme) {
    u.scheme = scheme[1]!.toLowerCase();
    rest = rest.slice(scheme[0].length);
  } else if (rest.startsWith(':')) throw new UrlError('missing protocol scheme');
  if (rest.endsWith('?') && rest.split('?').length === 2) {
    u.forceQuery = true;
    rest = rest.slice(0, -1);
  } else {
    const q = rest.indexOf('?');
    if (q >= 0) {
      u.rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
  }
  if (!rest.startsWith('/')) {
    if (u.scheme !== '') {
      u.opaque = rest;
      return u;
    }
    const colon = rest.indexOf(':');
    const slash = rest.indexOf('/');
    if (colon >= 0 && (slash < 0 || colon < slash)) throw new UrlError('first path segment in URL cannot contain colon');
  }
  if ((u.scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
    let authority = rest.slice(2);
    const slash = authority.indexOf('/');
    rest = slash < 0 ? '' : authority.slice(slash);
    if (slash >= 0) authority = authority.slice(0, slash);
    const at = authority.lastIndexOf('@');
    const host = at < 0 ? authority : authority.slice(at + 1);
    if (at >= 0) {
      const info = authority.slice(0, at);
      const colon = info.indexOf(':');
      u.user = colon < 0 ? { username: unescape(info) } : { username: unescape(info.slice(0, colon)), password: unescape(info.slice(colon + 1)) };
    }
    checkPort(host);
    for (const c of host) {
      if (c.charCodeAt(0) < 0x80 && c !== '%' && shouldEscape(c, 'host')) throw new UrlError(`invalid character ${goQuote(c)} in host name`);
    }
    u.host = unescape(host);
  }
  u.path = unescape(rest);
  return u;
}

/** url.parseHost's port check: `host:digits`, `[v6]:digits`, or no port. */
function checkPort(host: string): void {
  let colonPort: string;
  if (host.startsWith('[')) {
    const close = host.lastIndexOf(']');
    if (close < 0) throw new UrlError("missing ']' in host");
    colonPort = host.slice(close + 1);
  } else {
    const colon = host.lastIndexOf(':');
    if (colon < 0) return;
    colonPort = host.slice(colon);
  }
  if (colonPort !== '' && !/^:\d*$/.test(colonPort)) throw new UrlError(`invalid port ${goQuote(colonPort)} after host`);
}

function hostname(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end < 0 ? host.slice(1) : host.slice(1, end);
  }
  const colon = host.lastIndexOf(':');
  return colon >= 0 && /^\d*$/.test(host.slice(colon + 1)) ? host.slice(0, colon) : host;
}

/** url.URL.String(). */
function urlString(u: Url): string {
  let out = '';
  if (u.scheme !== '') out += u.scheme + ':';
  if (u.opaque !== '') out += u.opaque;
  else {
    if (u.scheme !== '' || u.host !== '' || u.user) {
      if (u.host !== '' || u.path !== '' || u.user) out += '//';
      if (u.user) out += userString(u.user) + '@';
      if (u.host !== '') out += escape(u.host, 'host');
    }
    const path = u.path === '*' ? '*' : escape(u.path, 'path');
    if (path !== '' && path[0] !== '/' && u.host !== '') out += '/';
    if (out === '' && path.split('/')[0]!.includes(':')) out += './';
    out += path;
  }
  if (u.forceQuery || u.rawQuery !== '') out += '?' + u.rawQuery;
  if (u.fragment !== '') out += '#' + escape(u.fragment, 'fragment');
  return out;
}

function urlParse(v: string): GoMap {
  let u: Url;
  try {
    u = parseUrl(v);
  } catch (e) {
    if (e instanceof UrlError) throw new GoPanic(`unable to parse url: ${e.message}`);
    throw e;
  }
  return {
    scheme: u.scheme,
    host: u.host,
    hostname: hostname(u.host),
    path: u.path,
    query: u.rawQuery,
    opaque: u.opaque,
    fragment: u.fragment,
    userinfo: u.user ? userString(u.user) : '',
  };
}

function metaValue(d: GoMap | null, key: string): string {
  const v = d === null ? undefined : mapGet(d, key);
  if (v === undefined) return '';
  if (v === null) throw nilDereference(); // reflect.TypeOf(nil).String()
  if (typeof v !== 'string') throw new GoPanic(`unable to parse ${key} key, must be of type string, but ${typeName(v)} found`);
  return v;
}

function urlJoin(d: GoMap | null): string {
  const u: Url = {
    scheme: metaValue(d, 'scheme'),
    host: metaValue(d, 'host'),
    path: metaValue(d, 'path'),
    rawQuery: metaValue(d, 'query'),
    opaque: metaValue(d, 'opaque'),
    fragment: metaValue(d, 'fragment'),
    forceQuery: false,
  };
  const userinfo = metaValue(d, 'userinfo');
  if (userinfo !== '') {
    try {
      u.user = parseUrl(`proto://${userinfo}@host`).user;
    } catch (e) {
      if (e instanceof UrlError) throw new GoPanic(`unable to parse userinfo in dict: ${e.message}`);
      throw e;
    }
  }
  return urlString(u);
}

export const urlFuncs: FuncMap = {
  urlParse: goFunc('(v string) map[string]interface{}', urlParse),
  urlJoin: goFunc('(d map[string]interface{}) string', urlJoin),
};
