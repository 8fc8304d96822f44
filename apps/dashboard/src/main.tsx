import './styles/index.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import { LoadFailure } from './app/load-failure';
import { applyTheme } from './features/layout/theme';

// The Content-Security-Policy forbids eval; zod's JIT would try new Function() and log a violation.
z.config({ jitless: true });
applyTheme();

const root = document.getElementById('root');
if (root) {
  const reactRoot = createRoot(root);
  // The first paint needs only React: the app (router, SDK, contracts, zod) arrives as one chunk
  // right after, so a phone draws the page's frame before it parses ~150 KB of JavaScript.
  reactRoot.render(<div className="skeleton m-4 h-96" role="status" aria-label="Loading Mission Control" />);
  void Promise.all([import('./app/app'), import('./app/create-services'), import('./features/offline/offline-banner')]).then(
    ([{ App }, { createServices }, { OfflineBanner }]) => {
      const services = createServices();
      reactRoot.render(
        <StrictMode>
          <App services={services} />
          <OfflineBanner stream={services.realtime} />
        </StrictMode>,
      );
    },
    // Without this a lost chunk (a dropped connection, or a server updated since the tab opened)
    // leaves the skeleton spinning for ever.
    () => {
      reactRoot.render(
        <LoadFailure
          title="Mission Control could not load"
          detail="The app's code did not arrive: the connection dropped, or the server was updated or restarted. Reload to try again."
        />,
      );
    },
  );
}
