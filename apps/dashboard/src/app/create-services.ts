import { activitySchema, pageSchema } from '@mission-control/contracts';
import { SessionStore } from '../features/auth/session-store';
import { RealtimeClient } from '../features/realtime/realtime-client';
import { createApiClient } from '../lib/api-client';
import type { AppServices } from '../lib/services-context';

/** Builds the app's singletons once, in the browser. */
export function createServices(): AppServices {
  const session = new SessionStore({ storage: window.localStorage });
  window.addEventListener('storage', () => session.syncFromStorage());
  const api = createApiClient({
    accessToken: () => session.accessToken(),
    refresh: () => session.refresh(),
    onSessionLost: () => session.set(null),
  });
  const realtime = new RealtimeClient({
    buildUrl: async (after) => {
      const token = await session.accessToken();
      if (!token) return null;
      let resumeAfter = after;
      if (resumeAfter === null) {
        // First connection: start from the newest event now, so nothing between this load and the socket opening is lost.
        const newest = await api.get('/activities', { schema: pageSchema(activitySchema), query: { limit: 1 } }).catch(() => null);
        resumeAfter = newest?.data[0]?.seq ?? null;
        if (resumeAfter !== null) realtime.setResumePoint(resumeAfter);
      }
      const url = new URL('/api/v1/ws/activities', window.location.href);
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      url.searchParams.set('token', token);
      if (resumeAfter !== null) url.searchParams.set('after', String(resumeAfter));
      return url.toString();
    },
  });
  return { api, session, realtime };
}
