import { type RefObject, useLayoutEffect, useState } from 'react';

export type PopupPlacement = 'above' | 'below';

/** The most a popup list is tall (max-h-64), plus its margin. */
const popupHeight = 16 * 16 + 8;

/**
 * Where a popup attached to a field fits in what the person sees: above the field when there is
 * room (it does not cover the text being typed), below when the field sits near the top of the
 * screen, whichever side has more room when neither fits. The visual viewport is used so a phone's
 * on-screen keyboard counts as hidden space.
 */
export function choosePlacement(field: { top: number; bottom: number }, viewportHeight: number): PopupPlacement {
  const above = field.top;
  const below = viewportHeight - field.bottom;
  if (above >= popupHeight) return 'above';
  if (below >= popupHeight) return 'below';
  return above >= below ? 'above' : 'below';
}

/** The placement of a popup for `field` while it is open, measured each time it opens. */
export function usePopupPlacement(field: RefObject<HTMLElement | null>, open: boolean): PopupPlacement {
  const [placement, setPlacement] = useState<PopupPlacement>('above');
  useLayoutEffect(() => {
    const element = field.current;
    if (!open || !element) return;
    const viewportHeight = window.visualViewport?.height ?? window.innerHeight;
    setPlacement(choosePlacement(element.getBoundingClientRect(), viewportHeight));
  }, [open, field]);
  return placement;
}
