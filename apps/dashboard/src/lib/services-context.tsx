import type { EventStream, MissionControl } from '@mission-control/sdk';
import { createContext, type ReactNode, useContext } from 'react';
import type { SessionStore } from '../features/auth/session-store';

export interface AppServices {
  /** The SDK client every request goes through: the signed-in session's credential, renewed on a 401. */
  client: MissionControl;
  session: SessionStore;
  /** The app's one event stream (the SDK's), started while signed in. */
  realtime: EventStream;
}

const ServicesContext = createContext<AppServices | null>(null);

/** The app's singletons (SDK client, session, event stream), passed down so tests can pass their own. */
export function ServicesProvider({ services, children }: { services: AppServices; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useServices(): AppServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices needs a ServicesProvider');
  return services;
}

/** The SDK client of the signed-in session. */
export function useClient(): MissionControl {
  return useServices().client;
}
