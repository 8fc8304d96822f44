import { useEffect } from 'react';

export const productName = 'Mission Control';

/** "Board · Mission Control": each page names itself in the tab, the history and screen readers. */
export function usePageTitle(title: string | null | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} · ${productName}` : productName;
  }, [title]);
}
