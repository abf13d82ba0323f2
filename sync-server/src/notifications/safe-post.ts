// The server's one way to request a URL an admin gave it (Slack and Teams webhooks): the SSRF
// guard's server half. The URL first meets the pure rules (src/lib/domain/integrations.ts: https on
// the provider's own hosts in production); then every address the name resolves to must be public,
// and the connection goes to an address that was checked (the check runs in the socket's own DNS
// lookup, so a name cannot resolve to a public address for the check and a private one for the
// connection). Redirects are never followed: a 3xx is an answer like any other.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isPublicAddress } from '../../../src/lib/domain/integrations.ts';

export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))),
  );

export class BlockedAddressError extends Error {
  readonly code = 'EBLOCKEDADDRESS';
}

export interface SafePostOptions {
  /** Development and tests (ALLOW_LOCAL_WEBHOOKS): local and private addresses may be requested. */
  allowLocal: boolean;
  timeoutMs?: number;
  /** How names are resolved (the system resolver unless a test stands in for DNS). */
  resolve?: Resolver;
}

export interface PostAnswer {
  status: number;
  body: string;
}

/** A socket lookup that answers only addresses that passed the check, and fails on any that did not. */
function guardedLookup(resolve: Resolver, allowLocal: boolean): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const blocked = addresses.find((a) => !isPublicAddress(a.address));
        if (!addresses.length) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 4);
        if (blocked && !allowLocal)
          return callback(new BlockedAddressError('The webhook host resolves to a private or local address'), '', 4);
        if (options.all) return callback(null, addresses);
        const first = addresses[0]!;
        callback(null, first.address, first.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 4),
    );
  };
}

/** POSTs a JSON body to `url`; answers the status and (at most 4 KiB of) the body, or throws on a network failure or a blocked address. */
export function safePostJson(url: URL, payload: unknown, opts: SafePostOptions): Promise<PostAnswer> {
  // A literal IP in the URL skips lookup(), so the same rule is applied to it here.
  if (literalAddressBlocked(url, opts.allowLocal))
    return Promise.reject(new BlockedAddressError('The webhook host is a private or local address'));
  const body = Buffer.from(JSON.stringify(payload), 'utf8');
  const transport = url.protocol === 'https:' ? https : http;
  const lookup = guardedLookup(opts.resolve ?? systemResolver, opts.allowLocal);
  return new Promise((resolve, reject) => {
    const req = transport.request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': body.length, 'user-agent': 'PackageTrackPro' },
        lookup,
        timeout: opts.timeoutMs ?? 10_000,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < 4096) chunks.push(c);
          size += c.length;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8').slice(0, 4096) }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('The webhook did not answer in time'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(body);
  });
}

/** Refuses a URL whose host is itself an address that may not be requested (lookup() is not called for IP literals). */
export function literalAddressBlocked(url: URL, allowLocal: boolean): boolean {
  if (allowLocal) return false;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const isLiteral = /^[\d.]+$/.test(host) || host.includes(':');
  return isLiteral && !isPublicAddress(host);
}
