import { isMissionControlError } from '@mission-control/sdk';
import { z } from 'zod';

/** A zod issue, as much of it as a form needs. */
export interface FormIssue {
  path: PropertyKey[];
  message: string;
  code?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  origin?: string;
}

const fieldNames: Record<string, string> = {
  title: 'The title',
  description: 'The description',
  dueAt: 'The due date',
  requiredCapabilities: 'Capabilities',
  parentId: 'The parent task',
  dependencyIds: 'Dependencies',
  priority: 'The priority',
  name: 'The name',
  role: 'The role',
  content: 'The content',
};

/**
 * The zod message in words for a person: "Too small: expected string to have >=1 characters"
 * becomes "The title is required."; messages the contracts wrote themselves (the regex rules) stay.
 */
export function plainIssueMessage(issue: FormIssue): string {
  const field = fieldNames[String(issue.path[0] ?? '')] ?? 'This field';
  const limit = (value: number | bigint | undefined) => Number(value ?? 0);
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string')
        return limit(issue.minimum) <= 1 ? `${field} is required.` : `${field} needs at least ${limit(issue.minimum)} characters.`;
      if (issue.origin === 'array') return `${field} needs at least ${limit(issue.minimum)}.`;
      return `${field} is too small.`;
    case 'too_big':
      if (issue.origin === 'string') return `${field} can be at most ${limit(issue.maximum)} characters; shorten it.`;
      if (issue.origin === 'array') return `${field} can have at most ${limit(issue.maximum)} entries.`;
      return `${field} is too large.`;
    case 'invalid_type':
      return `${field} is required.`;
    default:
      return /^(Invalid|Too |Expected)/.test(issue.message) ? `${field} is not valid; check it and try again.` : issue.message;
  }
}

/** What the server's 400 VALIDATION_FAILED carries: one entry per field, such as "body.allowedIps.0". */
const serverIssuesSchema = z.object({ issues: z.array(z.object({ path: z.string(), message: z.string() })) });

/**
 * The issues of a server refusal that are about these fields, with paths relative to the body
 * (`["allowedIps", "0"]`); empty for any other failure, which the form shows above its buttons.
 */
export function serverIssuesOn(failure: unknown, fields: readonly string[]): FormIssue[] {
  if (!isMissionControlError(failure) || failure.code !== 'VALIDATION_FAILED') return [];
  const issues = serverIssuesSchema.safeParse(failure.details).data?.issues ?? [];
  return issues
    .map((issue) => ({ path: issue.path.replace(/^body\./, '').split('.'), message: issue.message }))
    .filter((issue) => fields.includes(issue.path[0] ?? ''));
}

/** One message per field, the first problem found on each, in the words `describe` gives. */
export function collectFieldErrors<Field extends string>(
  issues: readonly FormIssue[],
  describe: (issue: FormIssue) => [Field, string],
): Partial<Record<Field, string>> {
  const errors: Partial<Record<Field, string>> = {};
  for (const issue of issues) {
    const [field, message] = describe(issue);
    errors[field] ??= message;
  }
  return errors;
}
