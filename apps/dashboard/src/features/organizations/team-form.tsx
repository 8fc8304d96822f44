import { createTeamSchema, type Team, updateTeamSchema } from '@mission-control/contracts';
import { isMissionControlError } from '@mission-control/sdk';
import { type FormEvent, useId, useState } from 'react';
import { FieldError } from '../../components/field-error';
import { collectFieldErrors, type FormIssue, serverIssuesOn } from '../../lib/form-errors';
import { describeTeamFailure } from './organization-wording';
import { type UpdateTeamBody, useCreateTeam, useUpdateTeam } from './organizations-api';

type Field = 'name' | 'description' | 'form';
type FieldErrors = Partial<Record<Field, string>>;

function describeIssue(issue: FormIssue): [Field, string] {
  const field = String(issue.path[0] ?? '');
  if (field === 'name') {
    if (issue.code === 'too_small' || /Too small|>=1/.test(issue.message)) return ['name', 'Give the team a name.'];
    if (issue.code === 'too_big' || /Too big/.test(issue.message)) return ['name', 'The name can be at most 80 characters; shorten it.'];
    return ['name', 'The name holds a character that cannot be stored; type it again.'];
  }
  if (field === 'description') {
    if (issue.code === 'too_big' || /Too big/.test(issue.message))
      return ['description', 'The description can be at most 500 characters; shorten it.'];
    return ['description', 'The description holds a character that cannot be stored; type it again.'];
  }
  return ['form', issue.message];
}

function errorsFromFailure(failure: unknown, name: string): FieldErrors {
  if (isMissionControlError(failure)) {
    if (failure.code === 'TEAM_NAME_TAKEN') return { name: describeTeamFailure(failure, { team: name }) };
    const located = serverIssuesOn(failure, ['name', 'description']);
    if (located.length > 0) return collectFieldErrors(located, describeIssue);
  }
  return { form: describeTeamFailure(failure, { team: name }) };
}

/** A team's name and what it is for: creates one, or (given `team`) renames it and changes its description. */
export function TeamForm({
  organizationId,
  team,
  onSaved,
  onCancel,
}: {
  organizationId: string;
  team?: Team | undefined;
  onSaved: (team: Team) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const create = useCreateTeam(organizationId);
  const update = useUpdateTeam(organizationId);
  const [name, setName] = useState(team?.name ?? '');
  const [description, setDescription] = useState(team?.description ?? '');
  const [errors, setErrors] = useState<FieldErrors>({});
  const title = team ? `Edit ${team.name}` : 'New team';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const fields = { name: name.trim(), description: description.trim() };
    try {
      if (team) {
        const body: UpdateTeamBody = {
          ...(fields.name !== team.name ? { name: fields.name } : {}),
          ...(fields.description !== team.description ? { description: fields.description } : {}),
        };
        if (Object.keys(body).length === 0) {
          setErrors({ form: 'Nothing to save: change the name or the description first.' });
          return;
        }
        const parsed = updateTeamSchema.safeParse(body);
        if (!parsed.success) {
          setErrors(collectFieldErrors(parsed.error.issues, describeIssue));
          return;
        }
        setErrors({});
        onSaved(await update.mutateAsync({ teamId: team.id, body }));
      } else {
        const parsed = createTeamSchema.safeParse(fields);
        if (!parsed.success) {
          setErrors(collectFieldErrors(parsed.error.issues, describeIssue));
          return;
        }
        setErrors({});
        onSaved(await create.mutateAsync(fields));
      }
    } catch (failure) {
      setErrors(errorsFromFailure(failure, fields.name));
    }
  };

  const described = (field: Field) => ({
    'aria-invalid': Boolean(errors[field]),
    'aria-describedby': errors[field] ? `${id}-${field}-error` : undefined,
  });

  return (
    <form onSubmit={submit} noValidate className="flex min-w-0 flex-col gap-3 border-[3px] border-ink bg-paper-alt p-3" aria-label={title}>
      <h3 className="text-lg font-black uppercase break-words">{title}</h3>
      <div>
        <label className="brutal-label" htmlFor={`${id}-name`}>
          Name
        </label>
        <input
          id={`${id}-name`}
          className="brutal-input w-full"
          value={name}
          maxLength={160}
          placeholder="Platform"
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
          className="brutal-input w-full font-sans"
          value={description}
          placeholder="Keeps the lights on."
          onChange={(event) => setDescription(event.target.value)}
          {...described('description')}
        />
        <FieldError id={`${id}-description-error`} message={errors.description} />
      </div>
      {errors.form ? (
        <p role="alert" className="border-2 border-ink bg-status-blocked p-2 font-bold text-black">
          {errors.form}
        </p>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <button type="submit" className="brutal-button" data-variant="primary" disabled={create.isPending || update.isPending}>
          {team ? 'Save team' : 'Create team'}
        </button>
        <button type="button" className="brutal-button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
