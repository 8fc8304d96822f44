import { act } from '@testing-library/react';

/**
 * happy-dom has no layout, so its IntersectionObserver never reports anything in view. This one
 * stands in for the browser's: nothing is in view until the test scrolls everything observed into it.
 */
export function installViewport(): { scrollAllIntoView: () => void; restore: () => void } {
  const original = globalThis.IntersectionObserver;
  const observers = new Set<{ callback: IntersectionObserverCallback; observer: IntersectionObserver; targets: Set<Element> }>();
  class ScriptedIntersectionObserver {
    readonly root = null;
    readonly rootMargin = '0px';
    readonly thresholds = [0];
    private readonly entry: { callback: IntersectionObserverCallback; observer: IntersectionObserver; targets: Set<Element> };
    constructor(callback: IntersectionObserverCallback) {
      this.entry = { callback, observer: this as unknown as IntersectionObserver, targets: new Set() };
      observers.add(this.entry);
    }
    observe(target: Element) {
      this.entry.targets.add(target);
    }
    unobserve(target: Element) {
      this.entry.targets.delete(target);
    }
    disconnect() {
      observers.delete(this.entry);
    }
    takeRecords(): IntersectionObserverEntry[] {
      return [];
    }
  }
  globalThis.IntersectionObserver = ScriptedIntersectionObserver as unknown as typeof IntersectionObserver;
  return {
    scrollAllIntoView: () =>
      act(() => {
        for (const { callback, observer, targets } of [...observers]) {
          const entries = [...targets].map((target) => ({ target, isIntersecting: true }) as IntersectionObserverEntry);
          if (entries.length > 0) callback(entries, observer);
        }
      }),
    restore: () => {
      globalThis.IntersectionObserver = original;
    },
  };
}
