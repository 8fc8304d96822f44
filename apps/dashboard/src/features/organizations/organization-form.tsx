import { type Organization, updateOrganizationSchema } from '@mission-control/contracts';
import { isMissionControlError } from '@mission-control/sdk';
import { type FormEvent, useId, useState } from 'react';
import { FieldError } from '../../components/field-error';
import { collectFieldErrors, type FormIssue, serverIssuesOn } from '../../lib/form-errors';
import { showToast } from '../../lib/toasts';
import { describeOrganizationFailure, formatCount, formatDollars, type LimitKey, limitFields } from './organization-wording';
import { type UpdateOrganizationBody, useUpdateOrganization } from './organizations-api';

type Field = 'name' | LimitKey | 'passwordSignInDisabled' | 'mfaRequired' | 'form';
type FieldErrors = Partial<Record<Field, string>>;

interface Draft {
  name: string;
  limits: Record<LimitKey, string>;
  /** Shown the way a person thinks of it: on means people may sign in with a password. */
  passwordSignIn: boolean;
  mfaRequired: boolean;
}

/** A limit as its field shows it: dollars for money (the server has millionths), empty for no limit. */
function limitText(field: (typeof limitFields)[number], value: number | null): string {
  if (value === null) return '';
  return field.money ? String(value / 1_000_000) : String(value);
}

function draftOf(organization: Organization): Draft {
  const limits = Object.fromEntries(limitFields.map((field) => [field.key, limitText(field, organization.limits[field.key])]));
  return {
    name: organization.name,
    limits: limits as Record<LimitKey, string>,
    passwordSignIn: !organization.passwordSignInDisabled,
    mfaRequired: organization.mfaRequired,
  };
}

/** What a person types in a limit field, as the server's number: null when empty, undefined when it is not a number. */
export function parseLimit(text: string, money: boolean): number | null | undefined {
  const typed = text.replace(/[\s,_]/g, '').replace(/^\$/, '');
  if (typed === '') return null;
  if (money) {
    if (!/^\d+(\.\d+)?$/.test(typed)) return undefined;
    return Math.round(Number(typed) * 1_000_000);
  }
  return /^\d+$/.test(typed) ? Number(typed) : undefined;
}

/** The sentence that says what a limit field takes. */
function limitRule(field: (typeof limitFields)[number]): string {
  const most = field.money ? formatDollars(field.max) : formatCount(field.max);
  return field.money
    ? `Type an amount in dollars up to ${most}, such as 25 or 12.50, or leave it empty for no limit.`
    : `Type a whole number from 0 to ${most}, or leave it empty for no limit.`;
}

/** The sentence for one problem, on the field it is about (a limit's path is ["limits", key]). */
function describeIssue(issue: FormIssue): [Field, string] {
  const [first, second] = issue.path.map(String);
  if (first === 'name') {
    if (issue.code === 'too_small' || /Too small|>=1/.test(issue.message)) return ['name', 'Give the organisation a name.'];
    if (issue.code === 'too_big' || /Too big/.test(issue.message)) return ['name', 'The name can be at most 120 characters; shorten it.'];
    return ['name', 'The name holds a character that cannot be stored; type it again.'];
  }
  if (first === 'limits') {
    const field = limitFields.find((each) => each.key === second);
    if (field) return [field.key, limitRule(field)];
  }
  if (first === 'passwordSignInDisabled' || first === 'mfaRequired') return [first, 'Turn it on or off, then save again.'];
  return ['form', issue.message];
}

function errorsFromFailure(failure: unknown): FieldErrors {
  if (isMissionControlError(failure)) {
    if (failure.code === 'SSO_NOT_CONFIGURED') return { passwordSignInDisabled: describeOrganizationFailure(failure) };
    const located = serverIssuesOn(failure, ['name', 'limits', 'passwordSignInDisabled', 'mfaRequired']);
    if (located.length > 0) return collectFieldErrors(located, describeIssue);
  }
  return { form: describeOrganizationFailure(failure) };
}

/** The body of PATCH /organizations/{id} with only what changed, or the fields whose text is not a number. */
export function changesOf(organization: Organization, draft: Draft): { body: UpdateOrganizationBody; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const body: UpdateOrganizationBody = {};
  if (draft.name.trim() !== organization.name) body.name = draft.name.trim();
  const limits: Partial<Record<LimitKey, number | null>> = {};
  for (const field of limitFields) {
    const next = parseLimit(draft.limits[field.key], field.money === true);
    if (next === undefined) errors[field.key] = limitRule(field);
    else if (next !== organization.limits[field.key]) limits[field.key] = next;
  }
  if (Object.keys(limits).length > 0) body.limits = limits;
  if (draft.passwordSignIn === organization.passwordSignInDisabled) body.passwordSignInDisabled = !draft.passwordSignIn;
  if (draft.mfaRequired !== organization.mfaRequired) body.mfaRequired = draft.mfaRequired;
  return { body, errors };
}

/** Changes when the settings do (not the usage): the page remounts the form with the server's values then. */
export function settingsKeyOf(organization: Organization): string {
  return JSON.stringify([organization.name, organization.limits, organization.passwordSignInDisabled, organization.mfaRequired]);
}

/**
 * The owner's settings of an organisation: its name, each limit (empty for none) and its sign-in
 * rules. Save sends only what changed; the contracts' schema checks it first, and what the server
 * still refuses lands on the field it is about.
 */
export function OrganizationForm({ organization, youHaveSecondFactor }: { organization: Organization; youHaveSecondFactor: boolean }) {
  const id = useId();
  const update = useUpdateOrganization();
  const [draft, setDraft] = useState<Draft>(() => draftOf(organization));
  const [errors, setErrors] = useState<FieldErrors>({});

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const { body, errors: typed } = changesOf(organization, draft);
    if (Object.keys(typed).length > 0) {
      setErrors(typed);
      return;
    }
    if (Object.keys(body).length === 0) {
      setErrors({ form: 'Nothing to save: change a field first.' });
      return;
    }
    const parsed = updateOrganizationSchema.safeParse(body);
    if (!parsed.success) {
      setErrors(collectFieldErrors(parsed.error.issues, describeIssue));
      return;
    }
    setErrors({});
    try {
      await update.mutateAsync({ id: organization.id, body });
      showToast('Organisation settings saved.', 'success');
    } catch (failure) {
      setErrors(errorsFromFailure(failure));
    }
  };

  const described = (field: Field, hint?: string) => ({
    'aria-invalid': Boolean(errors[field]),
    'aria-describedby': [hint, errors[field] ? `${id}-${field}-error` : undefined].filter(Boolean).join(' ') || undefined,
  });

  return (
    <form onSubmit={submit} noValidate className="flex min-w-0 flex-col gap-4" aria-label="Organisation settings">
      <div>
        <label className="brutal-label" htmlFor={`${id}-name`}>
          Name
        </label>
        <input
          id={`${id}-name`}
          className="brutal-input w-full"
          value={draft.name}
          maxLength={200}
          onChange={(event) => setDraft((current) => ({ ...current, name: event.target.value }))}
          {...described('name')}
        />
        <FieldError id={`${id}-name-error`} message={errors.name} />
      </div>
      <fieldset className="flex min-w-0 flex-col gap-2">
        <legend className="font-black uppercase">Limits</legend>
        <p className="text-sm">Leave a field empty for no limit. A new limit applies at once, on every workspace of the organisation.</p>
        <div className="grid gap-3 sm:grid-cols-2">
          {limitFields.map((field) => (
            <div key={field.key} className="min-w-0">
              <label className="brutal-label" htmlFor={`${id}-${field.key}`}>
                {field.label}
                {field.money ? ' (dollars)' : ''}
              </label>
              <input
                id={`${id}-${field.key}`}
                className="brutal-input w-full"
                inputMode={field.money ? 'decimal' : 'numeric'}
                placeholder="No limit"
                value={draft.limits[field.key]}
                onChange={(event) =>
                  setDraft((current) => ({ ...current, limits: { ...current.limits, [field.key]: event.target.value } }))
                }
                {...described(field.key, `${id}-${field.key}-hint`)}
              />
              <p id={`${id}-${field.key}-hint`} className="mt-1 text-xs">
                {field.explanation}
              </p>
              <FieldError id={`${id}-${field.key}-error`} message={errors[field.key]} />
            </div>
          ))}
        </div>
      </fieldset>
      <fieldset className="flex min-w-0 flex-col gap-3">
        <legend className="font-black uppercase">Sign-in rules</legend>
        <div className="flex items-start gap-2">
          <input
            id={`${id}-password`}
            type="checkbox"
            className="mt-1 size-5 shrink-0 accent-[var(--color-signal)]"
            checked={draft.passwordSignIn}
            onChange={(event) => setDraft((current) => ({ ...current, passwordSignIn: event.target.checked }))}
            {...described('passwordSignInDisabled', `${id}-password-hint`)}
          />
          <div className="min-w-0">
            <label htmlFor={`${id}-password`} className="font-bold">
              Password sign-in
            </label>
            <p id={`${id}-password-hint`} className="text-sm">
              Off: people sign in with single sign-on only (this needs single sign-on set up for the organisation or on the server). API
              keys keep working.
            </p>
            <FieldError id={`${id}-passwordSignInDisabled-error`} message={errors.passwordSignInDisabled} />
          </div>
        </div>
        <div className="flex items-start gap-2">
          <input
            id={`${id}-mfa`}
            type="checkbox"
            className="mt-1 size-5 shrink-0 accent-[var(--color-signal)]"
            checked={draft.mfaRequired}
            onChange={(event) => setDraft((current) => ({ ...current, mfaRequired: event.target.checked }))}
            {...described('mfaRequired', `${id}-mfa-hint`)}
          />
          <div className="min-w-0">
            <label htmlFor={`${id}-mfa`} className="font-bold">
              Require a second factor
            </label>
            <p id={`${id}-mfa-hint`} className="text-sm">
              People without one must set up an authenticator app before they can do anything else.
              {draft.mfaRequired && !organization.mfaRequired && !youHaveSecondFactor
                ? ' You have none yet: once you save, you set one up first.'
                : ''}
            </p>
            <FieldError id={`${id}-mfaRequired-error`} message={errors.mfaRequired} />
          </div>
        </div>
      </fieldset>
      {errors.form ? (
        <p role="alert" className="border-2 border-ink bg-status-blocked p-2 font-bold text-black">
          {errors.form}
        </p>
      ) : null}
      <button type="submit" className="brutal-button self-start" data-variant="primary" disabled={update.isPending}>
        Save organisation
      </button>
    </form>
  );
}
