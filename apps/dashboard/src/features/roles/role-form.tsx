import {
  type BuiltInRole,
  type CustomRole,
  type CustomRoleBase,
  createCustomRoleSchema,
  customRoleBaseSchema,
  type Permission,
  updateCustomRoleSchema,
} from '@mission-control/contracts';
import { isMissionControlError } from '@mission-control/sdk';
import { type FormEvent, useId, useState } from 'react';
import { FieldError } from '../../components/field-error';
import { describeError } from '../../lib/describe-error';
import { collectFieldErrors, type FormIssue, serverIssuesOn } from '../../lib/form-errors';
import { plural } from '../../lib/format';
import { builtInRoleLabel, groupPermissions, permissionGroupLabel } from './role-wording';
import { type CreateRoleBody, type UpdateRoleBody, useCreateRole, useUpdateRole } from './roles-api';

type Field = 'name' | 'description' | 'baseRole' | 'permissions' | 'form';
type FieldErrors = Partial<Record<Field, string>>;

/** The sentence for one problem, said about the field it is on. */
function describeIssue(issue: FormIssue): [Field, string] {
  const field = String(issue.path[0] ?? '');
  if (field === 'name') {
    if (issue.code === 'too_small') return ['name', 'Give the role a name.'];
    if (issue.code === 'too_big') return ['name', 'The name can be at most 60 characters; shorten it.'];
    if (/built-in/.test(issue.message)) return ['name', 'Owner, admin, member and viewer are the built-in roles: pick another name.'];
    return ['name', 'The name holds a character that cannot be stored; type it again.'];
  }
  if (field === 'description') {
    if (issue.code === 'too_big' || /Too big/.test(issue.message))
      return ['description', 'The description can be at most 500 characters; shorten it.'];
    return ['description', 'The description holds a character that cannot be stored; type it again.'];
  }
  if (field === 'baseRole') return ['baseRole', 'Pick the built-in role this role narrows: admin, member or viewer.'];
  if (field === 'permissions') {
    if (issue.code === 'too_small' || /Too small/.test(issue.message))
      return ['permissions', 'Pick at least one permission: a role without any could do nothing.'];
    if (issue.code === 'too_big' || /Too big/.test(issue.message)) return ['permissions', 'A role can list at most 200 permissions.'];
    const unknown = /^Unknown permissions: (.+)$/.exec(issue.message)?.[1];
    if (unknown) return ['permissions', `This server does not know ${unknown}: reload the page to see the permissions it has.`];
    return ['permissions', 'One of the permissions is not valid: reload the page and pick again.'];
  }
  return ['form', issue.message];
}

function errorsFrom(issues: FormIssue[]): FieldErrors {
  return collectFieldErrors(issues, describeIssue);
}

/** The server's refusal, on the field it is about when it names one; anything else above the buttons. */
function errorsFromFailure(failure: unknown, name: string): FieldErrors {
  if (isMissionControlError(failure)) {
    if (failure.code === 'ROLE_NAME_TAKEN') return { name: `Another role is already called “${name}”: pick another name.` };
    if (failure.code === 'ROLE_NOT_FOUND')
      return { form: 'This role was deleted meanwhile, perhaps by someone else. Cancel to see the list.' };
    const located = serverIssuesOn(failure, ['name', 'description', 'baseRole', 'permissions']);
    if (located.length > 0) return errorsFrom(located);
  }
  return { form: describeError(failure) };
}

/** The changes an edit makes, field by field; empty when nothing changed. */
function changesOf(role: CustomRole, next: { name: string; description: string; permissions: string[] }): UpdateRoleBody {
  const samePermissions =
    role.permissions.length === next.permissions.length && [...role.permissions].sort().join() === [...next.permissions].sort().join();
  return {
    ...(next.name !== role.name ? { name: next.name } : {}),
    ...(next.description !== role.description ? { description: next.description } : {}),
    ...(samePermissions ? {} : { permissions: next.permissions }),
  };
}

/**
 * A custom role: its name, what it is for, the built-in role it narrows (chosen once, at
 * creation) and its permissions as a checklist by area, read and write side by side. The
 * contracts' schemas check it first, so the messages match the server's rules; what the server
 * still refuses (a name taken meanwhile) lands on the same fields.
 */
export function RoleForm({
  role,
  builtIn,
  permissions,
  onSaved,
  onCancel,
}: {
  /** The role to edit; left out, the form creates one. */
  role?: CustomRole | undefined;
  builtIn: readonly BuiltInRole[];
  permissions: readonly Permission[];
  onSaved: (role: CustomRole) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const create = useCreateRole();
  const update = useUpdateRole();
  const [name, setName] = useState(role?.name ?? '');
  const [description, setDescription] = useState(role?.description ?? '');
  const [baseRole, setBaseRole] = useState<CustomRoleBase>(role?.baseRole ?? 'member');
  const [chosen, setChosen] = useState<ReadonlySet<string>>(() => new Set(role?.permissions ?? []));
  const [errors, setErrors] = useState<FieldErrors>({});
  const groups = groupPermissions(permissions);
  const title = role ? `Edit ${role.name}` : 'New role';
  const pending = create.isPending || update.isPending;

  const toggle = (permission: string, on: boolean) =>
    setChosen((current) => {
      const next = new Set(current);
      if (on) next.add(permission);
      else next.delete(permission);
      return next;
    });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    // In the order of the checklist, so the request reads like the form.
    const picked = groups
      .flatMap((group) => [group.read?.name, group.write?.name])
      .filter((permission): permission is string => permission !== undefined && chosen.has(permission));
    const fields = { name: name.trim(), description: description.trim(), permissions: picked };
    try {
      if (role) {
        const body = changesOf(role, fields);
        if (Object.keys(body).length === 0) {
          setErrors({ form: 'Nothing to save: change the name, the description or the permissions first.' });
          return;
        }
        const parsed = updateCustomRoleSchema.safeParse(body);
        if (!parsed.success) {
          setErrors(errorsFrom(parsed.error.issues));
          return;
        }
        setErrors({});
        onSaved(await update.mutateAsync({ id: role.id, body }));
      } else {
        const body: CreateRoleBody = { ...fields, baseRole };
        const parsed = createCustomRoleSchema.safeParse(body);
        if (!parsed.success) {
          setErrors(errorsFrom(parsed.error.issues));
          return;
        }
        setErrors({});
        onSaved(await create.mutateAsync(body));
      }
    } catch (failure) {
      setErrors(errorsFromFailure(failure, fields.name));
    }
  };

  const described = (field: Field, hint?: string) => ({
    'aria-invalid': Boolean(errors[field]),
    'aria-describedby': [hint, errors[field] ? `${id}-${field}-error` : undefined].filter(Boolean).join(' ') || undefined,
  });

  return (
    <form onSubmit={submit} noValidate className="flex min-w-0 flex-col gap-4 border-[3px] border-ink bg-paper-alt p-3" aria-label={title}>
      <h3 className="text-lg font-black uppercase">{title}</h3>
      <div>
        <label className="brutal-label" htmlFor={`${id}-name`}>
          Name
        </label>
        <input
          id={`${id}-name`}
          className="brutal-input"
          value={name}
          maxLength={120}
          placeholder="Triage"
          onChange={(event) => setName(event.target.value)}
          {...described('name')}
        />
        <FieldError id={`${id}-name-error`} message={errors.name} />
      </div>
      <div>
        <label className="brutal-label" htmlFor={`${id}-description`}>
          Description (optional)
        </label>
        <textarea
          id={`${id}-description`}
          rows={2}
          className="brutal-input font-sans"
          value={description}
          placeholder="Sorts the inbox and assigns tasks; changes nothing else."
          onChange={(event) => setDescription(event.target.value)}
          {...described('description')}
        />
        <FieldError id={`${id}-description-error`} message={errors.description} />
      </div>
      {role ? (
        <div>
          <p className="brutal-label">Built-in role it narrows</p>
          <p>
            <span className="font-bold">{builtInRoleLabel(role.baseRole)}</span>. It cannot change: to narrow another role, create a new
            role and give it to the members instead.
          </p>
        </div>
      ) : (
        <fieldset {...described('baseRole', `${id}-base-hint`)}>
          <legend className="brutal-label">Built-in role it narrows</legend>
          <p id={`${id}-base-hint`} className="mb-2 text-sm">
            Its holders can do at most what this role can, and only through the permissions below. It cannot change later.
          </p>
          <div className="flex flex-col gap-2">
            {customRoleBaseSchema.options.map((option) => (
              <div key={option} className="flex items-start gap-2">
                <input
                  id={`${id}-base-${option}`}
                  type="radio"
                  name={`${id}-base`}
                  className="mt-1 size-4 shrink-0 accent-ink"
                  checked={baseRole === option}
                  onChange={() => setBaseRole(option)}
                  aria-describedby={`${id}-base-${option}-description`}
                />
                <div className="min-w-0">
                  <label htmlFor={`${id}-base-${option}`} className="font-bold">
                    {builtInRoleLabel(option)}
                  </label>
                  <p id={`${id}-base-${option}-description`} className="text-sm">
                    {builtIn.find((each) => each.name === option)?.description}
                  </p>
                </div>
              </div>
            ))}
          </div>
          <FieldError id={`${id}-baseRole-error`} message={errors.baseRole} />
        </fieldset>
      )}
      <fieldset className="min-w-0" {...described('permissions', `${id}-permissions-hint`)}>
        <legend className="brutal-label">Permissions</legend>
        <p id={`${id}-permissions-hint`} className="mb-2 text-sm">
          What its holders may use. Read is an area’s GET endpoints; write is the rest of it. {plural(chosen.size, 'permission')} chosen.
        </p>
        <div className="mb-2 flex flex-wrap gap-2">
          <button
            type="button"
            className="brutal-button"
            onClick={() =>
              setChosen(
                (current) => new Set([...current, ...permissions.filter((each) => each.name.endsWith('.read')).map((each) => each.name)]),
              )
            }
          >
            Every read permission
          </button>
          <button type="button" className="brutal-button" onClick={() => setChosen(new Set())}>
            Clear all
          </button>
        </div>
        <FieldError id={`${id}-permissions-error`} message={errors.permissions} />
        {/* A row per area, read and write side by side; the column heads are for the eye (each label names its permission). */}
        <div className="border-2 border-ink bg-paper">
          <div
            className="hidden bg-ink p-2 font-mono text-xs font-bold text-paper uppercase sm:grid sm:grid-cols-[9rem_minmax(0,1fr)_minmax(0,1fr)] sm:gap-x-3"
            aria-hidden="true"
          >
            <span>Area</span>
            <span>Read</span>
            <span>Write</span>
          </div>
          {groups.map((group, index) => (
            <fieldset
              key={group.group}
              className={`min-w-0 p-2 ${index > 0 ? 'border-t-2 border-ink' : ''}`}
              data-testid={`permission-group-${group.group}`}
            >
              {/* A legend cannot sit in a grid cell: it names the group for screen readers, the paragraph shows it. */}
              <legend className="sr-only">{permissionGroupLabel(group.group)}</legend>
              <div className="grid grid-cols-2 gap-x-3 gap-y-1 sm:grid-cols-[9rem_minmax(0,1fr)_minmax(0,1fr)]">
                <p className="col-span-2 font-bold sm:col-span-1" aria-hidden="true">
                  {permissionGroupLabel(group.group)}
                </p>
                {[group.read, group.write].map((permission, column) =>
                  permission ? (
                    <div key={permission.name} className="flex min-w-0 items-start gap-2">
                      <input
                        id={`${id}-permission-${permission.name}`}
                        type="checkbox"
                        className="mt-0.5 size-4 shrink-0 accent-ink"
                        checked={chosen.has(permission.name)}
                        onChange={(event) => toggle(permission.name, event.target.checked)}
                        aria-describedby={`${id}-permission-${permission.name}-description`}
                      />
                      <div className="min-w-0">
                        <label
                          htmlFor={`${id}-permission-${permission.name}`}
                          className="font-mono text-xs font-bold [overflow-wrap:anywhere]"
                        >
                          {permission.name}
                        </label>
                        <p id={`${id}-permission-${permission.name}-description`} className="text-xs [overflow-wrap:anywhere]">
                          {permission.description}
                        </p>
                      </div>
                    </div>
                  ) : (
                    // biome-ignore lint/suspicious/noArrayIndexKey: the empty cell of an area without this column
                    <span key={column} className="font-mono text-xs" aria-hidden="true">
                      —
                    </span>
                  ),
                )}
              </div>
            </fieldset>
          ))}
        </div>
      </fieldset>
      {errors.form ? (
        <p role="alert" className="border-2 border-ink bg-status-blocked p-2 font-bold text-black">
          {errors.form}
        </p>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <button type="submit" className="brutal-button" data-variant="primary" disabled={pending}>
          {role ? 'Save role' : 'Create role'}
        </button>
        <button type="button" className="brutal-button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
