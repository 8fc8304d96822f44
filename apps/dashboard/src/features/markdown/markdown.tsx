import { memo, useMemo } from 'react';
import ReactMarkdown, { type Components, type Options } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { type MentionTarget, remarkMentions } from './remark-mentions';
import { safeUrl } from './safe-url';

const components: Components = {
  a: ({ href, children }) =>
    href ? (
      <a href={href} target="_blank" rel="noopener noreferrer nofollow">
        {children}
      </a>
    ) : (
      <span className="underline decoration-dashed" title="Link removed: only http, https and mailto links are allowed">
        {children}
      </span>
    ),
  img: ({ src, alt }) =>
    typeof src === 'string' && src ? (
      <img src={src} alt={alt ?? ''} loading="lazy" referrerPolicy="no-referrer" />
    ) : (
      <span className="blocked-image" title="Image not shown: it is not from an allowed origin">
        [image: {alt || 'blocked'}]
      </span>
    ),
};

/**
 * Renders markdown written by agents and people. No raw HTML ever reaches the DOM (react-markdown
 * without rehype-raw turns it into text), links keep only http, https and mailto, and images
 * load only from allowed origins. With `mentions` (handle → who), @mentions of those handles are
 * highlighted, as the server reads them.
 */
export const Markdown = memo(function Markdown({
  children,
  imageOrigins,
  mentions,
}: {
  children: string;
  imageOrigins?: readonly string[];
  mentions?: ReadonlyMap<string, MentionTarget>;
}) {
  const origin = window.location.origin;
  const plugins = useMemo<Options['remarkPlugins']>(
    () => (mentions ? [remarkGfm, [remarkMentions, { targets: mentions }]] : [remarkGfm]),
    [mentions],
  );
  return (
    <div className="markdown-body">
      <ReactMarkdown
        remarkPlugins={plugins}
        components={components}
        urlTransform={(url, key) => safeUrl(url, key === 'src' ? 'image' : 'link', { origin, imageOrigins: imageOrigins ?? [origin] })}
      >
        {children}
      </ReactMarkdown>
    </div>
  );
});
