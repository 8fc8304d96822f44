import { useEffect, useRef } from 'react';
import { describeError } from '../../lib/describe-error';
import { useAuthProviders, useExchangeOidcCode } from './identity-api';

/** The provider's start address with where to come back to; an organisation's already carries `?organization=`. */
export function startUrlWithRedirect(startUrl: string, next: string): string {
  return `${startUrl}${startUrl.includes('?') ? '&' : '?'}${new URLSearchParams({ redirect: next }).toString()}`;
}

/** “Sign in with …” buttons for the single sign-on providers the server offers (none when not set up). */
export function SingleSignOnButtons({ next }: { next: string }) {
  const providers = useAuthProviders();
  const options = providers.data?.oidc ?? [];
  if (options.length === 0) return null;
  return (
    <div className="flex flex-col gap-2">
      {options.map((provider) => (
        <a key={provider.id} className="brutal-button justify-center py-2 text-base" href={startUrlWithRedirect(provider.startUrl, next)}>
          Sign in with {provider.name}
        </a>
      ))}
      <p className="text-center font-mono text-xs">or with your email and password</p>
    </div>
  );
}

/** Finishes a single sign-on: trades the one-time code in the address once, then goes on. */
export function SingleSignOnExchange({ code, onSignedIn }: { code: string; onSignedIn: () => void }) {
  const exchange = useExchangeOidcCode();
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    exchange.mutate(code, { onSuccess: onSignedIn });
  }, [code, exchange, onSignedIn]);
  if (exchange.isError) {
    return (
      <p role="alert" className="border-2 border-ink bg-status-blocked p-2 font-bold text-black">
        {describeError(exchange.error)}
      </p>
    );
  }
  return <p className="font-mono text-sm">Signing you in…</p>;
}
