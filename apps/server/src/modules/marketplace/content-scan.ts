import type { ListingContent, ListingProblem } from '@mission-control/contracts';

/**
 * What a secret looks like in text someone is about to publish. Each pattern is a credential
 * format with a fixed shape (provider keys, tokens, private keys) or an assignment of a value to a
 * secret-sounding name; a false positive costs the publisher an edit, a miss leaks a key to everyone.
 */
const secretPatterns: readonly { name: string; pattern: RegExp }[] = [
  { name: 'a Mission Control key or token', pattern: /\bmc_[A-Za-z0-9_-]{16,}/ },
  { name: 'an OpenAI or Anthropic key', pattern: /\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}/ },
  { name: 'a GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})/ },
  { name: 'a Slack token', pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/ },
  { name: 'an AWS access key', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { name: 'a Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { name: 'a Stripe key', pattern: /\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,}/ },
  { name: 'a private key', pattern: /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/ },
  { name: 'a bearer token', pattern: /\bBearer\s+[A-Za-z0-9._~+/-]{24,}=*/ },
  { name: 'a password in a URL', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:[^\s/@]{3,}@/i },
  {
    name: 'a secret assigned to a name',
    pattern: /\b(?:api[_-]?key|secret|token|password|passwd|client[_-]?secret|access[_-]?key)\b\s*[:=]\s*["']?[^\s"']{8,}/i,
  },
];

const idPattern = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/i;

/** Every string in a value with its JSON path (`agents[0].runtime.instructions`). */
function* walkStrings(value: unknown, path: string): Generator<{ path: string; text: string }> {
  if (typeof value === 'string') {
    yield { path, text: value };
    return;
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) yield* walkStrings(item, `${path}[${index}]`);
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) yield* walkStrings(item, path === '' ? key : `${path}.${key}`);
  }
}

/**
 * What in a listing's content must not be published: anything shaped like a secret, and ids (of
 * agents, tasks or the workspace), which mean nothing in another workspace.
 */
export function findContentProblems(content: ListingContent): ListingProblem[] {
  const problems: ListingProblem[] = [];
  for (const { path, text } of walkStrings(content, '')) {
    const secret = secretPatterns.find((candidate) => candidate.pattern.test(text));
    if (secret) {
      problems.push({ path, problem: 'secret', message: `This looks like ${secret.name}. Remove it and let installers add their own.` });
    }
    const id = idPattern.exec(text);
    if (id) {
      problems.push({
        path,
        problem: 'reference',
        message: `The id ${id[0]} points into your workspace and means nothing in another one. Refer to agents and skills by name.`,
      });
    }
  }
  return problems;
}
