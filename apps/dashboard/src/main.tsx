import './styles/index.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import { App } from './app/app';
import { createServices } from './app/create-services';
import { applyTheme } from './features/layout/theme';
import { OfflineBanner } from './features/offline/offline-banner';

// The Content-Security-Policy forbids eval; zod's JIT would try new Function() and log a violation.
z.config({ jitless: true });
applyTheme();

const root = document.getElementById('root');
if (root) {
  const services = createServices();
  createRoot(root).render(
    <StrictMode>
      <App services={services} />
      <OfflineBanner stream={services.realtime} />
    </StrictMode>,
  );
}
