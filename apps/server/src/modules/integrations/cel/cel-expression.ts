import { Environment } from '@marcbachmann/cel-js';

/**
 * CEL (the Common Expression Language) for webhook filters and inbound hook templates: small,
 * side-effect free and bounded, so it is safe to run expressions people write. Each use declares
 * its variables (`event` for filters; `payload` and `headers` for templates) as dynamic maps.
 */
export class CelExpressionError extends Error {
  override readonly name = 'CelExpressionError';
}

/** A parsed expression; evaluating it never throws for a missing field, it answers an error instead. */
export interface CelExpression {
  readonly source: string;
  evaluate(variables: Record<string, unknown>): { ok: true; value: unknown } | { ok: false; error: string };
}

const limits = { maxAstNodes: 2_000, maxDepth: 50, maxListElements: 500, maxMapEntries: 500, maxCallArguments: 16 };

function createEnvironment(variables: readonly string[]): Environment {
  const environment = new Environment({ unlistedVariablesAreDyn: false, homogeneousAggregateLiterals: false, limits });
  for (const name of variables) environment.registerVariable(name, 'map');
  return environment;
}

/** JSON numbers that are whole become CEL ints (so `event.seq + 1` works); the rest stays as it is. */
function toCelValue(value: unknown): unknown {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (Array.isArray(value)) return value.map(toCelValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, toCelValue(inner)]));
  }
  return value;
}

/** A CEL result back to JSON: ints become numbers, maps become objects. */
export function fromCelValue(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Map) return Object.fromEntries([...value.entries()].map(([key, inner]) => [String(key), fromCelValue(inner)]));
  if (Array.isArray(value)) return value.map(fromCelValue);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, fromCelValue(inner)]));
  }
  return value;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'invalid expression';
}

/** Parses and type-checks an expression over the named variables; throws CelExpressionError saying what is wrong. */
export function compileCelExpression(source: string, variables: readonly string[]): CelExpression {
  const environment = createEnvironment(variables);
  let program: ReturnType<Environment['parse']>;
  try {
    program = environment.parse(source);
  } catch (error) {
    throw new CelExpressionError(firstLine(error));
  }
  const checked = program.check();
  if (!checked.valid) throw new CelExpressionError(firstLine(checked.error));
  return {
    source,
    evaluate(values) {
      try {
        const context = Object.fromEntries(variables.map((name) => [name, toCelValue(values[name] ?? {})]));
        return { ok: true, value: fromCelValue(program(context)) };
      } catch (error) {
        return { ok: false, error: firstLine(error) };
      }
    },
  };
}
