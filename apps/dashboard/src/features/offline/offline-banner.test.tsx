import net from 'node:net';
import { MissionControl } from '@mission-control/sdk';
import { act, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { OfflineBanner } from './offline-banner';

/** A local port nothing listens on: the stream's socket is refused at once. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function setBrowserOnline(online: boolean) {
  Object.defineProperty(window.navigator, 'onLine', { configurable: true, get: () => online });
  act(() => {
    window.dispatchEvent(new Event(online ? 'online' : 'offline'));
  });
}

describe('OfflineBanner', () => {
  afterEach(() => setBrowserOnline(true));

  it('stays hidden while online and signed out (no live stream was asked for)', () => {
    const client = new MissionControl({ baseUrl: 'http://dashboard.test', credential: () => 'token' });
    render(<OfflineBanner stream={client.events.connect({ connectNow: false })} />);
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('says so when the browser goes offline, and goes away when it is back', () => {
    const client = new MissionControl({ baseUrl: 'http://dashboard.test', credential: () => 'token' });
    render(<OfflineBanner stream={client.events.connect({ connectNow: false })} />);
    setBrowserOnline(false);
    const banner = screen.getByRole('status');
    expect(banner.textContent).toContain('Offline — showing what was loaded.');
    expect(banner.textContent).toContain('no network');
    setBrowserOnline(true);
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('says so when the live stream cannot reach the server, and hides once the stream is stopped', async () => {
    const port = await closedPort();
    const client = new MissionControl({ baseUrl: `http://127.0.0.1:${port}`, credential: () => 'token' });
    const stream = client.events.connect({ connectNow: false, reconnect: { minDelayMs: 60_000, maxDelayMs: 60_000 } });
    render(<OfflineBanner stream={stream} />);
    act(() => stream.start());
    const banner = await screen.findByRole('status');
    expect(banner.textContent).toContain('Live updates stopped');
    act(() => stream.stop());
    await waitFor(() => expect(screen.queryByRole('status')).toBeNull());
  });
});
