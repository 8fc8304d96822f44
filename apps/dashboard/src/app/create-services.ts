import { MissionControl } from '@mission-control/sdk';
import { SessionStore } from '../features/auth/session-store';
import { createApiClient } from '../lib/api-client';
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
  const api = createApiClient({
    accessToken: () => session.accessToken(),
    refresh: () => session.refresh(),
    onSessionLost: () => session.set(null),
  });
  const realtime = client.events.connect({
    connectNow: false,
    // The first connection starts at the newest event now, so nothing written between the page's loads and the socket opening is lost.
    startAfter: async () => (await client.activities.list({ limit: 1 }).page()).data[0]?.seq,
  });
  return { client, api, session, realtime };
}
