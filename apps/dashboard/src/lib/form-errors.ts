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
