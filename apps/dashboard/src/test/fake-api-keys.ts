import { type ApiKey, createApiKeySchema, rotateApiKeySchema } from '@mission-control/contracts';
import { makeApiKey, testId } from './fixtures';
import type { RouteAnswer, RouteHandler } from './render-with-app';

/**
 * The API key endpoints of one owner over an in-memory list, as the server answers them: list,
 * create, rotate (the old key kept for the grace, or revoked at once with 0; 409 when it cannot be
 * rotated) and revoke. `base` is the list's path: `/agents/{id}/api-keys` or `/auth/api-keys`.
 * Bodies are parsed with the contracts' schemas, so a request the server would refuse fails here.
 * `others` (other endpoints, or answers that replace these) join the same table: pass `routes`
 * itself to renderWithApp, not a copy, since each new key adds its own routes to it.
 */
export function createFakeApiKeys(base: string, initial: ApiKey[] = [], others: Record<string, RouteHandler> = {}) {
  let keys = [...initial];
  let secrets = 0;
  const routes: Record<string, RouteHandler> = {};
  const replace = (next: ApiKey) => {
    keys = keys.map((key) => (key.id === next.id ? next : key));
  };
  const refuse = (message: string): RouteAnswer => ({ status: 409, body: { error: { code: 'API_KEY_NOT_ROTATABLE', message } } });

  const addKeyRoutes = (id: string) => {
    routes[`POST ${base}/${id}/rotate`] = ({ body }) => {
      const old = keys.find((key) => key.id === id);
      if (!old) return { status: 404, body: { error: { code: 'API_KEY_NOT_FOUND', message: 'No API key with this id.' } } };
      if (old.replacedById) return refuse(`This key was already rotated; rotate its successor (${old.replacedById}) instead.`);
      if (old.revokedAt) return refuse('This key was revoked or has expired, so it cannot be rotated. Create a new key.');
      const { graceSeconds } = rotateApiKeySchema.parse(body);
      const now = new Date();
      const successor = makeApiKey({ ...old, id: testId(), prefix: `mc_new${secrets}`, lastUsedAt: null, lastUsedIp: null });
      const previous: ApiKey = {
        ...old,
        replacedById: successor.id,
        expiresAt: new Date(now.getTime() + graceSeconds * 1000).toISOString(),
        revokedAt: graceSeconds === 0 ? now.toISOString() : null,
      };
      replace(previous);
      keys.unshift(successor);
      addKeyRoutes(successor.id);
      secrets += 1;
      return { status: 201, body: { apiKey: successor, secret: `mc_rotated_secret_${secrets}`, previous } };
    };
    routes[`DELETE ${base}/${id}`] = () => {
      const key = keys.find((each) => each.id === id);
      if (!key) return { status: 404, body: { error: { code: 'API_KEY_NOT_FOUND', message: 'No API key with this id.' } } };
      const revoked = { ...key, revokedAt: key.revokedAt ?? new Date().toISOString() };
      replace(revoked);
      return { status: 200, body: revoked };
    };
  };

  routes[`GET ${base}`] = () => ({ status: 200, body: { data: keys } });
  routes[`POST ${base}`] = ({ body }) => {
    const input = createApiKeySchema.parse(body);
    const key = makeApiKey({
      name: input.name,
      prefix: `mc_new${secrets}`,
      allowedIps: input.allowedIps ?? null,
      rateLimitPerMinute: input.rateLimitPerMinute ?? null,
      requireSignature: input.requireSignature,
      expiresAt: input.expiresAt ?? null,
    });
    keys.unshift(key);
    addKeyRoutes(key.id);
    secrets += 1;
    return { status: 201, body: { apiKey: key, secret: `mc_created_secret_${secrets}` } };
  };
  for (const key of initial) addKeyRoutes(key.id);
  Object.assign(routes, others);

  return { routes, keys: () => keys };
}
