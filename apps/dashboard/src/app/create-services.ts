import { endpoints } from '@mission-control/contracts';
import { MissionControl } from '@mission-control/sdk';
import { SessionStore } from '../features/auth/session-store';
import type { AppServices } from '../lib/services-context';

/** Builds the app's singletons once, in the browser. */
export function createServices(): AppServices {
  const baseUrl = window.location.origin;
  const session = new SessionStore({
    storage: window.localStorage,
    // Refreshing sends the refresh token only: this client never sends an access token.
    client: new MissionControl({ baseUrl, credential: () => undefined }),
  });
  window.addEventListener('storage', () => session.syncFromStorage());
  const client = new MissionControl({
    baseUrl,
    credential: async () => (await session.accessToken()) ?? undefined,
    onUnauthorized: async () => Boolean(await session.refresh()),
    webSocket: window.WebSocket,
  });
  const realtime = client.events.connect({
    connectNow: false,
    // The first connection starts at the newest event now, so nothing written between the page's loads and the socket opening is lost.
    startAfter: async () => (await client.request(endpoints.listActivities, { query: { limit: 1 } })).data[0]?.seq,
  });
  return { client, session, realtime };
}
