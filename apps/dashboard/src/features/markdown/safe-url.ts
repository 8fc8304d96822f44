/** Link schemes a reader may click. javascript:, data:, vbscript:, file: and anything else are dropped. */
const linkProtocols = new Set(['http:', 'https:', 'mailto:']);

export interface SafeUrlOptions {
  /** The page's own origin: relative URLs resolve against it. */
  origin: string;
  /** Origins images may load from; the page's own origin by default (tracking pixels and IP leaks otherwise). */
  imageOrigins?: readonly string[];
}

/**
 * Decides what a URL in agent-written markdown may become: the URL itself when safe, or null
 * to drop the attribute. Parsing with URL (not a regex) sees through tricks like
 * `java\tscript:` or `JaVaScRiPt:`, which the browser would also normalise.
 */
export function safeUrl(url: string, kind: 'link' | 'image', options: SafeUrlOptions): string | null {
  const trimmed = url.trim();
  if (!trimmed) return null;
  let parsed: URL;
  try {
    parsed = new URL(trimmed, options.origin);
  } catch {
    return null;
  }
  if (kind === 'link') return linkProtocols.has(parsed.protocol) ? trimmed : null;
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  const allowed = options.imageOrigins ?? [options.origin];
  return allowed.includes(parsed.origin) ? parsed.toString() : null;
}
