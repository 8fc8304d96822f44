import type { FileAttachment } from '@mission-control/contracts';
import type { MissionControl } from '@mission-control/sdk';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode, RefObject } from 'react';
import { useEffect, useRef, useState } from 'react';
import { describeError } from '../../lib/describe-error';
import { queryKeys } from '../../lib/query-keys';
import { useClient } from '../../lib/services-context';
import { showToast } from '../../lib/toasts';

// The types the server's sniffer names for images a browser shows safely (SVG can carry scripts).
const previewableImages = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** Whether an attachment is an image the dashboard previews. */
export function isPreviewableImage(attachment: FileAttachment): boolean {
  return previewableImages.has(attachment.type);
}

/** Sizes as people read them: 512 B, 2.4 KB, 3.1 MB. */
export function formatFileSize(bytes: number): string {
  if (bytes < 1_024) return `${bytes} B`;
  if (bytes < 1_024 * 1_024) return `${(bytes / 1_024).toFixed(1)} KB`;
  return `${(bytes / (1_024 * 1_024)).toFixed(1)} MB`;
}

/** The bytes are behind the API's credential, so a plain link cannot fetch them: they come through the SDK as an object URL. */
export function useAttachmentUrl(attachment: FileAttachment, enabled: boolean): { url: string | undefined; failed: boolean } {
  const client = useClient();
  const content = useQuery({
    queryKey: queryKeys.attachmentContent(attachment.id),
    queryFn: async () => (await client.attachments.download(attachment.id)).content,
    enabled,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    if (!content.data) return undefined;
    const created = URL.createObjectURL(content.data);
    setUrl(created);
    return () => URL.revokeObjectURL(created);
  }, [content.data]);
  return { url, failed: content.isError };
}

/** Saves an attachment as a file, fetched with the user's credential (a plain link would be refused). */
export async function downloadAttachmentFile(client: MissionControl, attachment: FileAttachment): Promise<void> {
  try {
    const { content } = await client.attachments.download(attachment.id);
    const url = URL.createObjectURL(content);
    const link = document.createElement('a');
    link.href = url;
    link.download = attachment.name;
    link.click();
    URL.revokeObjectURL(url);
  } catch (error) {
    showToast(`Could not download ${attachment.name}: ${describeError(error)}`, 'error');
  }
}

/** True once the element comes near the viewport, so a long thread fetches only the images someone scrolls to. */
function useNearViewport<T extends Element>(): [RefObject<T | null>, boolean] {
  const ref = useRef<T>(null);
  // Without IntersectionObserver (old browsers, jsdom) there is no way to wait, so the image loads at once.
  const [near, setNear] = useState(() => typeof IntersectionObserver === 'undefined');
  useEffect(() => {
    const element = ref.current;
    if (near || !element) return undefined;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) {
          setNear(true);
          observer.disconnect();
        }
      },
      { rootMargin: '200px' },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [near]);
  return [ref, near];
}

/** A file's name and size; choosing it downloads the file. */
export function AttachmentFileLink({ attachment }: { attachment: FileAttachment }) {
  const client = useClient();
  return (
    <button type="button" onClick={() => void downloadAttachmentFile(client, attachment)} className="min-w-0 truncate text-left underline">
      <span className="font-bold">{attachment.name}</span> <span className="font-mono text-xs">({formatFileSize(attachment.size)})</span>
    </button>
  );
}

/**
 * An image attachment as a thumbnail that opens the full image, fetched once scrolled near; `fallback`
 * stands in for other files and for an image that could not be fetched.
 */
export function AttachmentThumbnail({
  attachment,
  alt = attachment.name,
  className = 'h-24 w-24',
  fallback = null,
}: {
  attachment: FileAttachment;
  alt?: string;
  className?: string;
  fallback?: ReactNode;
}) {
  const image = isPreviewableImage(attachment);
  const [ref, near] = useNearViewport<HTMLSpanElement>();
  const { url, failed } = useAttachmentUrl(attachment, image && near);
  if (!image || failed) return fallback;
  return (
    <span ref={ref} className={`inline-block shrink-0 border-2 border-ink ${className}`}>
      {url ? (
        <a href={url} target="_blank" rel="noopener noreferrer" title={`Open ${attachment.name}`} className="block h-full w-full">
          <img src={url} alt={alt} loading="lazy" decoding="async" className="h-full w-full object-cover" />
        </a>
      ) : (
        <span className="sr-only">Loading {attachment.name}</span>
      )}
    </span>
  );
}
