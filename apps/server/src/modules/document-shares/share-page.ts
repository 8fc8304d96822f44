import { createHash } from 'node:crypto';
import type { Document } from '@mission-control/contracts';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';

/** The page's only style, allowed by its hash in the content security policy (no other source is). */
const style = `body{margin:0;font:16px/1.6 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2328;background:#fff}
main{max-width:46rem;margin:0 auto;padding:1.5rem 1rem 4rem}
header{border-bottom:1px solid #d0d7de;margin-bottom:1.5rem;padding-bottom:.75rem}
header p{margin:.25rem 0 0;color:#57606a;font-size:.875rem}
h1{font-size:1.75rem;line-height:1.25;margin:.5rem 0}
pre{overflow-x:auto;background:#f6f8fa;padding:.75rem;border-radius:6px}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.875em}
table{border-collapse:collapse;display:block;overflow-x:auto}
th,td{border:1px solid #d0d7de;padding:.25rem .75rem}
img{max-width:100%}
a{color:#0a58ca}
blockquote{margin:0;padding-left:1rem;border-left:4px solid #d0d7de;color:#57606a}`;
const styleHash = createHash('sha256').update(style).digest('base64');

/**
 * Nothing runs and nothing loads but the page's own style and images over HTTPS; no form posts,
 * no frame embeds it, and no base URL can be changed.
 */
export const sharePageContentSecurityPolicy = [
  "default-src 'none'",
  `style-src 'sha256-${styleHash}'`,
  'img-src https: data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The headers of every share page: its policy, no indexing, no referrer to the links it holds, no caching. */
export const sharePageHeaders: Readonly<Record<string, string>> = {
  'content-security-policy': sharePageContentSecurityPolicy,
  'x-robots-tag': 'noindex, nofollow',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/**
 * Markdown to HTML with micromark (the parser under the dashboard's react-markdown, with the same
 * GitHub dialect). Raw HTML in the document is escaped, and links with a dangerous protocol
 * (javascript:, data: and the like) lose their target: micromark's safe defaults.
 */
export function renderMarkdown(markdown: string): string {
  return micromark(markdown, { extensions: [gfm()], htmlExtensions: [gfmHtml()] });
}

function renderPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${style}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

/** The read-only page of a shared document. */
export function renderSharedDocumentPage(document: Document): string {
  const updated = new Date(document.updatedAt).toUTCString();
  return renderPage(
    document.title,
    `<header>
<h1>${escapeHtml(document.title)}</h1>
<p>Shared read-only from Mission Control. Version ${document.version}, last changed ${escapeHtml(updated)}.</p>
</header>
<article>
${renderMarkdown(document.content)}
</article>`,
  );
}

/** What an unknown, revoked or expired link shows, in plain words. */
export function renderShareNotFoundPage(): string {
  return renderPage(
    'Link not available',
    `<h1>This link does not work</h1>
<p>The link may have expired, been revoked by the person who shared it, or been copied incompletely.</p>
<p>Ask the person who sent it for a new link.</p>`,
  );
}
