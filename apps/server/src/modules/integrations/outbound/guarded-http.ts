import { lookup as lookupDns } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isRefusedAddress } from '@mission-control/runtime';

/**
 * The SSRF guard of outbound HTTP (webhooks, Slack, Discord), the same policy as fetch_url's:
 * http(s) only, no credentials in the URL, the host resolved and refused when any address is
 * private, loopback, link-local (cloud metadata), or otherwise reserved, and the connection made
 * to the address that was checked, so a second resolution cannot swap it. Redirects are never
 * followed: a 3xx is an answer like any other (a failure).
 */
export interface TargetPolicy {
  /** Self-hosted setups and tests: private and loopback targets are allowed (MISSION_WEBHOOKS_ALLOW_PRIVATE_TARGETS). */
  allowPrivateTargets: boolean;
  /** DNS resolution; the system resolver by default. */
  lookup?: LookupFunction;
}

/** Why a target is not sent to, in words a person can act on. */
export class TargetRefused extends Error {
  override readonly name = 'TargetRefused';
}

const localHostNames = /^(localhost|.*\.localhost|.*\.internal|metadata\.google\.internal)$/i;

/** Checks a URL's form without resolving it; throws TargetRefused. */
export function checkTargetUrl(raw: string, policy: TargetPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TargetRefused(`"${raw}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TargetRefused(`only http and https URLs are allowed, not ${url.protocol}`);
  if (url.username || url.password) throw new TargetRefused('URLs with credentials in them are not allowed');
  if (policy.allowPrivateTargets) return url;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && isRefusedAddress(host)) throw new TargetRefused(`${host} is a private or reserved address`);
  if (!isIP(host) && localHostNames.test(host)) throw new TargetRefused(`${host} is a local host name`);
  return url;
}

interface ResolvedAddress {
  address: string;
  family: number;
}

function resolveAll(policy: TargetPolicy, hostname: string): Promise<ResolvedAddress[]> {
  const resolve = policy.lookup ?? lookupDns;
  return new Promise((fulfil, reject) => {
    resolve(hostname, { all: true }, (error, addresses) => {
      if (error) return reject(error);
      fulfil((Array.isArray(addresses) ? addresses : [{ address: String(addresses), family: 4 }]) as ResolvedAddress[]);
    });
  });
}

/** Resolves a URL's host and checks every address it resolves to; answers the address to connect to. */
export async function resolveTarget(raw: string, policy: TargetPolicy): Promise<{ url: URL; address: ResolvedAddress }> {
  const url = checkTargetUrl(raw, policy);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return { url, address: { address: host, family: isIP(host) } };
  let addresses: ResolvedAddress[];
  try {
    addresses = await resolveAll(policy, host);
  } catch (error) {
    throw new TargetRefused(`${host} does not resolve (${error instanceof Error ? error.message : String(error)})`);
  }
  const refused = addresses.find((entry) => isRefusedAddress(entry.address));
  if (refused && !policy.allowPrivateTargets)
    throw new TargetRefused(`${host} resolves to ${refused.address}, a private or reserved address`);
  const first = addresses[0];
  if (!first) throw new TargetRefused(`${host} has no address`);
  return { url, address: first };
}

export interface GuardedPostOptions {
  /** POST unless told otherwise; a GET or DELETE without a body sends none. */
  method?: 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'GET';
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** Bytes of the answer kept for the attempt log. */
  excerptBytes?: number;
}

export interface GuardedPostAnswer {
  statusCode: number;
  responseExcerpt: string;
}

/**
 * Sends a request (POST by default) to a checked address. Rejects with TargetRefused before any connection when the target is
 * not allowed, and with the network error (or a timeout) otherwise; an HTTP answer of any status resolves.
 */
export async function postGuarded(raw: string, policy: TargetPolicy, options: GuardedPostOptions): Promise<GuardedPostAnswer> {
  const { url, address } = await resolveTarget(raw, policy);
  const pinnedLookup: LookupFunction = (_hostname, lookupOptions, callback) => {
    if (lookupOptions.all) return (callback as (error: null, addresses: ResolvedAddress[]) => void)(null, [address]);
    return callback(null, address.address, address.family);
  };
  const transport = url.protocol === 'https:' ? https : http;
  const excerptBytes = options.excerptBytes ?? 1_024;
  const signal = AbortSignal.timeout(options.timeoutMs);
  return new Promise((resolve, reject) => {
    const request = transport.request(
      url,
      {
        method: options.method ?? 'POST',
        lookup: pinnedLookup,
        signal,
        agent: false,
        headers: {
          ...(options.body === '' && (options.method === 'GET' || options.method === 'DELETE')
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(options.body) }),
          ...options.headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size >= excerptBytes) return;
          chunks.push(chunk.subarray(0, excerptBytes - size));
          size += Math.min(chunk.length, excerptBytes - size);
        });
        response.on('end', () =>
          resolve({ statusCode: response.statusCode ?? 0, responseExcerpt: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', (error) => {
      if (signal.aborted) reject(new Error(`no answer within ${options.timeoutMs / 1_000} s`));
      else reject(error);
    });
    request.end(options.body);
  });
}
