import { isMissionControlError } from '@mission-control/sdk';
import { useSyncExternalStore } from 'react';

/** What the person reads when their organisation makes them set up a second factor first. */
export const mfaEnrolmentMessage = 'Your organisation requires a second factor. Set one up to continue.';

/** Where a second factor is set up. */
export const mfaEnrolmentPath = '/security';

/**
 * Whether the server refused something because the person's organisation requires a second
 * factor they have not set up (403 MFA_ENROLMENT_REQUIRED). Until they do, their session may only
 * read who they are and enrol one: every other call answers this.
 */
export function isMfaEnrolmentRequired(error: unknown): boolean {
  return isMissionControlError(error) && error.code === 'MFA_ENROLMENT_REQUIRED';
}

let required = false;
const listeners = new Set<() => void>();

function emit(): void {
  for (const listener of listeners) listener();
}

/** Called with every failure the app sees (the query client's caches, the event stream): remembers the requirement. */
export function noteMfaEnrolmentFailure(error: unknown): void {
  if (required || !isMfaEnrolmentRequired(error)) return;
  required = true;
  emit();
}

/** The person set up a second factor, or signed out: the requirement is gone. */
export function clearMfaEnrolmentRequired(): void {
  if (!required) return;
  required = false;
  emit();
}

export function mfaEnrolmentRequired(): boolean {
  return required;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** True from the first MFA_ENROLMENT_REQUIRED answer until a second factor is set up. */
export function useMfaEnrolmentRequired(): boolean {
  return useSyncExternalStore(subscribe, mfaEnrolmentRequired, mfaEnrolmentRequired);
}
