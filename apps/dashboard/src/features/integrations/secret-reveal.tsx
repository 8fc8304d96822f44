import { type ReactNode, useState } from 'react';

/** A secret shown this once, with a copy button and what to do with it; "I saved it" hides it for good. */
export function SecretReveal({
  secret,
  label,
  children,
  onDone,
}: {
  secret: string;
  label: string;
  children?: ReactNode;
  onDone: () => void;
}) {
  const [copied, setCopied] = useState('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('Copied.');
    } catch {
      setCopied('Copying was refused: select the secret and copy it by hand.');
    }
  };
  return (
    <div className="mt-3 flex flex-col gap-2 border-[3px] border-ink bg-status-idle p-3 text-sm text-black" data-testid="secret-reveal">
      <p className="font-black uppercase">Copy the {label} now: it is never shown again.</p>
      {children}
      <code className="break-all border-2 border-black bg-white px-2 py-1 font-mono" data-testid="revealed-secret">
        {secret}
      </code>
      <div className="flex flex-wrap items-center gap-2">
        <button type="button" className="brutal-button" onClick={() => void copy()}>
          Copy {label}
        </button>
        <button type="button" className="brutal-button" onClick={onDone}>
          I saved it
        </button>
        <output className="font-mono text-xs">{copied}</output>
      </div>
    </div>
  );
}
