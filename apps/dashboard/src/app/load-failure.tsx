// Kept free of the router and the SDK: main.tsx shows it when the app's own chunk fails to load.

/** Browsers word a failed `import()` differently; all of them mean a chunk did not arrive. */
export function isChunkLoadError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return /dynamically imported module|importing a module script failed|error loading dynamically imported module|failed to fetch/i.test(
    error.message,
  );
}

/** A plain-words failure with the one action that fixes a missing chunk: reloading the page. */
export function LoadFailure({ title, detail }: { title: string; detail: string }) {
  return (
    <div role="alert" className="m-4 border-[3px] border-ink bg-paper-alt p-5">
      <h1 className="text-2xl font-black uppercase">{title}</h1>
      <p className="mt-2 max-w-prose">{detail}</p>
      <button type="button" className="brutal-button mt-4" onClick={() => window.location.reload()}>
        Reload
      </button>
    </div>
  );
}
