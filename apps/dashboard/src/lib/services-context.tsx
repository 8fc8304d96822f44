import { createContext, type ReactNode, useContext } from 'react';
import type { SessionStore } from '../features/auth/session-store';
import type { RealtimeClient } from '../features/realtime/realtime-client';
import type { ApiClient } from './api-client';

export interface AppServices {
  api: ApiClient;
  session: SessionStore;
  realtime: RealtimeClient;
}

const ServicesContext = createContext<AppServices | null>(null);

/** The app's singletons (API client, session, realtime client), passed down so tests can pass their own. */
export function ServicesProvider({ services, children }: { services: AppServices; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useServices(): AppServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices needs a ServicesProvider');
  return services;
}

export function useApi(): ApiClient {
  return useServices().api;
}
