import { lookup as lookupDns } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isRefusedAddress } from './address-policy.js';
import { htmlToText } from './html-to-text.js';

/** Limits and hooks of fetch_url. */
export interface FetchUrlOptions {
  /** Bytes read from a response at most; the rest is cut (1 MiB by default). */
  maxBytes?: number;
  /** Characters of text handed back to the model at most (20,000 by default). */
  maxCharacters?: number;
  /** The whole fetch, redirects included, in milliseconds (10 s by default). */
  timeoutMs?: number;
  maxRedirects?: number;
  /** Host names an operator trusts even though they resolve to private addresses (an intranet docs host). */
  allowedPrivateHosts?: readonly string[];
  /** DNS resolution; the system resolver by default (tests inject one). */
  lookup?: LookupFunction;
  /** Entries kept in the cache, and for how long. */
  cacheEntries?: number;
  cacheTtlMs?: number;
  now?: () => number;
}

export interface FetchedPage {
  url: string;
  status: number;
  contentType: string;
  title: string;
  text: string;
  truncated: boolean;
}

/** A refusal the model can read: why the URL is not fetched. */
export class FetchUrlRefused extends Error {
  override readonly name = 'FetchUrlRefused';
}

/** Resolves a host, and refuses it when any address it resolves to is private (unless trusted). */
function createGuardedLookup(options: FetchUrlOptions, trusted: boolean): LookupFunction {
  const resolve = options.lookup ?? lookupDns;
  return (hostname, lookupOptions, callback) => {
    resolve(hostname, { ...lookupOptions, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = (Array.isArray(addresses) ? addresses : [{ address: String(addresses), family: 4 }]) as {
        address: string;
        family: number;
      }[];
      const refused = list.find((entry) => isRefusedAddress(entry.address));
      if (refused && !trusted) {
        return callback(new FetchUrlRefused(`${hostname} resolves to ${refused.address}, a private or reserved address`), '', 0);
      }
      const first = list[0];
      if (!first) return callback(new FetchUrlRefused(`${hostname} has no address`), '', 0);
      // Connect to an address that was checked, so a second resolution cannot swap it (DNS rebinding).
      if (lookupOptions.all) return (callback as (error: null, addresses: typeof list) => void)(null, list);
      return callback(null, first.address, first.family);
    });
  };
}

/** Checks a URL before any connection: http(s) only, no credentials, no private IP literal. */
function checkUrl(raw: string, options: FetchUrlOptions): { url: URL; trusted: boolean } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new FetchUrlRefused(`"${raw}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new FetchUrlRefused(`only http and https URLs are fetched, not ${url.protocol}`);
  if (url.username || url.password) throw new FetchUrlRefused('URLs with credentials are not fetched');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const trusted = (options.allowedPrivateHosts ?? []).some((allowed) => allowed.toLowerCase() === host.toLowerCase());
  if (isIP(host) && isRefusedAddress(host) && !trusted) throw new FetchUrlRefused(`${host} is a private or reserved address`);
  if (!isIP(host) && /^(localhost|.*\.localhost|.*\.internal|metadata\.google\.internal)$/i.test(host) && !trusted) {
    throw new FetchUrlRefused(`${host} is a local host name`);
  }
  return { url, trusted };
}

interface RawResponse {
  status: number;
  location: string | undefined;
  contentType: string;
  body: Buffer;
  truncated: boolean;
}

function requestOnce(url: URL, options: FetchUrlOptions, trusted: boolean, signal: AbortSignal): Promise<RawResponse> {
  const maxBytes = options.maxBytes ?? 1_048_576;
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.request(
      url,
      {
        method: 'GET',
        lookup: createGuardedLookup(options, trusted),
        signal,
        headers: {
          'user-agent': 'MissionControl-Agent/0.1 (+fetch_url)',
          accept: 'text/html, text/plain, text/markdown, application/json;q=0.9, */*;q=0.5',
          'accept-encoding': 'identity',
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        const finish = () =>
          resolve({
            status: response.statusCode ?? 0,
            location: response.headers.location,
            contentType: String(response.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks),
            truncated,
          });
        if ((response.statusCode ?? 0) >= 300 && (response.statusCode ?? 0) < 400) {
          response.resume();
          return finish();
        }
        response.on('data', (chunk: Buffer) => {
          if (truncated) return;
          const room = maxBytes - size;
          if (chunk.length > room) {
            chunks.push(chunk.subarray(0, room));
            size = maxBytes;
            truncated = true;
            finish();
            response.destroy();
            return;
          }
          chunks.push(chunk);
          size += chunk.length;
        });
        response.on('end', () => {
          if (!truncated) finish();
        });
        response.on('error', (error) => {
          if (!truncated) reject(error);
        });
      },
    );
    request.on('error', reject);
    request.end();
  });
}

/** A small least-recently-used cache of fetched pages. */
class PageCache {
  private readonly entries = new Map<string, { page: FetchedPage; storedAt: number }>();
  constructor(
    private readonly capacity: number,
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  get(url: string): FetchedPage | undefined {
    const entry = this.entries.get(url);
    if (!entry) return undefined;
    this.entries.delete(url);
    if (this.now() - entry.storedAt > this.ttlMs) return undefined;
    this.entries.set(url, entry);
    return entry.page;
  }

  set(url: string, page: FetchedPage): void {
    this.entries.delete(url);
    this.entries.set(url, { page, storedAt: this.now() });
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}

/** Fetches pages for agents: every hop is checked, redirects are followed by hand, text comes back readable. */
export function createUrlFetcher(options: FetchUrlOptions = {}) {
  const now = options.now ?? Date.now;
  const cache = new PageCache(options.cacheEntries ?? 64, options.cacheTtlMs ?? 10 * 60_000, now);
  const maxCharacters = options.maxCharacters ?? 20_000;

  return async function fetchUrl(raw: string): Promise<FetchedPage> {
    const cached = cache.get(raw);
    if (cached) return cached;
    const signal = AbortSignal.timeout(options.timeoutMs ?? 10_000);
    let target = checkUrl(raw, options);
    for (let hop = 0; ; hop += 1) {
      let response: RawResponse;
      try {
        response = await requestOnce(target.url, options, target.trusted, signal);
      } catch (error) {
        if (error instanceof FetchUrlRefused) throw error;
        if (signal.aborted) throw new FetchUrlRefused(`${target.url.href} took longer than ${options.timeoutMs ?? 10_000} ms`);
        throw error;
      }
      if (response.status >= 300 && response.status < 400 && response.location) {
        if (hop >= (options.maxRedirects ?? 5)) throw new FetchUrlRefused('too many redirects');
        // Each hop is checked again: a public page may redirect to an internal address.
        target = checkUrl(new URL(response.location, target.url).href, options);
        continue;
      }
      const contentType = response.contentType.split(';')[0]?.trim().toLowerCase() ?? '';
      const textual = contentType === '' || contentType.startsWith('text/') || /json|xml|markdown|javascript|yaml/.test(contentType);
      if (!textual) throw new FetchUrlRefused(`${target.url.href} is ${contentType}, not text`);
      const decoded = response.body.toString('utf8');
      const readable =
        contentType.includes('html') || (contentType === '' && /<html|<body/i.test(decoded))
          ? htmlToText(decoded)
          : { title: '', text: decoded };
      const cut = readable.text.length > maxCharacters;
      const page: FetchedPage = {
        url: target.url.href,
        status: response.status,
        contentType,
        title: readable.title,
        text: cut ? `${readable.text.slice(0, maxCharacters)}\n…` : readable.text,
        truncated: response.truncated || cut,
      };
      if (response.status < 400) cache.set(raw, page);
      return page;
    }
  };
}
