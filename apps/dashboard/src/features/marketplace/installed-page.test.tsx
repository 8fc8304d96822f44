import type { Installation, UpgradePreview } from '@mission-control/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { testId } from '../../test/fixtures';
import InstalledPage from './installed-page';
import { errorAnswer, expectNoSeriousViolations, makeInstallation, makeListing, renderMarketplace } from './marketplace-test-fixtures';
import { changeInWords } from './marketplace-wording';

const listing = makeListing({ latestVersion: '1.1.0' });
const agentId = testId();
const installation = makeInstallation(listing, {
  version: '1.0.0',
  items: [{ kind: 'agent', id: agentId, name: 'my-scout', templateName: 'scout' }],
});
const item = { kind: 'agent' as const, name: 'my-scout', id: agentId };
const preview: UpgradePreview = {
  from: '1.0.0',
  to: '1.1.0',
  changes: [
    { item, field: 'role', installed: 'Researcher', current: 'Researcher', next: 'Senior researcher', outcome: 'update' },
    {
      item,
      field: 'capabilities',
      installed: ['research'],
      current: ['research', 'finance'],
      next: ['research', 'statistics'],
      outcome: 'keep-yours',
    },
    {
      item,
      field: 'runtime.instructions',
      installed: 'Summarise in three bullets.',
      current: 'Summarise in three bullets.',
      next: 'Summarise in three bullets.\nCite every source.',
      outcome: 'update',
    },
    {
      item: { kind: 'skill', name: 'Cite sources', id: null },
      field: '*',
      installed: null,
      current: null,
      next: { body: '1. Quote' },
      outcome: 'add',
    },
  ],
};

function renderInstalled(installations: Installation[] = [installation]) {
  let current = installations;
  return renderMarketplace(<InstalledPage />, {
    at: '/marketplace/installed',
    routes: {
      'GET /marketplace/installations': () => ({ status: 200, body: { data: current } }),
      [`GET /marketplace/listings/${listing.id}`]: () => ({ status: 200, body: listing }),
      [`GET /marketplace/installations/${installation.id}/upgrade`]: () => ({ status: 200, body: preview }),
      [`POST /marketplace/installations/${installation.id}/upgrade`]: () => {
        current = [{ ...installation, version: '1.1.0' }];
        return { status: 200, body: current[0] };
      },
      [`DELETE /marketplace/installations/${installation.id}`]: () => {
        const removed = { ...installation, status: 'uninstalled' as const };
        current = [];
        return { status: 200, body: removed };
      },
    },
  });
}

describe('upgrade changes in words', () => {
  it('says each field’s change and its outcome', () => {
    expect(preview.changes.map(changeInWords)).toEqual([
      'Role: Researcher → Senior researcher — will update',
      'Capabilities: kept yours (research, finance) — the new version has research, statistics',
      'Instructions: changed in the new version — will update',
      'New skill Cite sources — will be added',
    ]);
  });
});

describe('the installed page', () => {
  it('lists installations with what they created, and previews an upgrade field by field before doing it', async () => {
    const view = renderInstalled();
    const card = within(await screen.findByTestId('installation'));
    expect(card.getByRole('link', { name: 'Scout' }).getAttribute('href')).toBe(`/marketplace/listings/${listing.id}`);
    expect(card.getByRole('link', { name: 'my-scout' }).getAttribute('href')).toBe(`/agents/${agentId}`);
    expect(card.getByText('(from scout)')).toBeTruthy();
    expect(
      card.getByText((_, element) => element?.tagName === 'P' && element.textContent === 'Installed by Olivia, 30 hours ago.'),
    ).toBeTruthy();
    fireEvent.click(await card.findByRole('button', { name: 'Upgrade to 1.1.0' }));

    const dialog = within(await screen.findByRole('dialog', { name: 'Upgrade Scout?' }));
    expect(dialog.getByText('From version 1.0.0 to 1.1.0. What you changed yourself stays yours.')).toBeTruthy();
    await dialog.findByText('Role: Researcher → Senior researcher — will update');
    expect(dialog.getByText('2 fields will update, 1 change of yours will stay, 1 new item will be added.')).toBeTruthy();
    expect(dialog.getAllByTestId('upgrade-change').map((row) => row.querySelector('p')?.textContent)).toEqual([
      'Role: Researcher → Senior researcher — will update',
      'Capabilities: kept yours (research, finance) — the new version has research, statistics',
      'Instructions: changed in the new version — will update',
      'New skill Cite sources — will be added',
    ]);
    // The long text shows as a line diff: the added line marked for those who cannot see color.
    fireEvent.click(dialog.getByText('Show the instructions change'));
    const diff = dialog.getByTestId('version-diff');
    expect(within(diff).getByText('Cite every source.').closest('[data-diff]')?.getAttribute('data-diff')).toBe('added');
    expect(view.urls.find((url) => url.pathname.endsWith('/upgrade'))?.searchParams.get('version')).toBe('1.1.0');
    await expectNoSeriousViolations(screen.getByRole('dialog'));

    fireEvent.click(dialog.getByRole('button', { name: 'Upgrade to 1.1.0' }));
    expect(await screen.findByText('Upgraded Scout to version 1.1.0.')).toBeTruthy();
    expect(view.calls.find((call) => call.method === 'POST')?.body).toEqual({ version: '1.1.0' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(await screen.findByText('Up to date.')).toBeTruthy();
  });

  it('gives and takes back consent to share the results on the listing’s page', async () => {
    let current = [installation];
    const view = renderMarketplace(<InstalledPage />, {
      at: '/marketplace/installed',
      routes: {
        'GET /marketplace/installations': () => ({ status: 200, body: { data: current } }),
        [`GET /marketplace/listings/${listing.id}`]: () => ({ status: 200, body: listing }),
        [`PATCH /marketplace/installations/${installation.id}`]: ({ body }) => {
          current = [{ ...installation, ...(body as { shareFigures: boolean }) }];
          return { status: 200, body: current[0] };
        },
      },
    });
    const card = within(await screen.findByTestId('installation'));
    const share = card.getByRole('checkbox', { name: 'Share results on the listing’s page' }) as HTMLInputElement;
    expect(share.checked).toBe(false);
    await expectNoSeriousViolations(view.container);
    const listingReads = () => view.calls.filter((call) => call.method === 'GET' && call.path.endsWith(`/listings/${listing.id}`)).length;
    const readsBefore = listingReads();

    fireEvent.click(share);
    expect(await screen.findByText('The results of Scout here are now shared on its listing’s page.')).toBeTruthy();
    expect(view.calls.filter((call) => call.method === 'PATCH').map((call) => call.body)).toEqual([{ shareFigures: true }]);
    await waitFor(() => expect(share.checked).toBe(true));
    await waitFor(() => expect(listingReads()).toBeGreaterThan(readsBefore));
  });

  it('says a refused change of consent in plain words, and leaves the switch as it was', async () => {
    renderMarketplace(<InstalledPage />, {
      at: '/marketplace/installed',
      role: 'member',
      routes: {
        'GET /marketplace/installations': () => ({ status: 200, body: { data: [installation] } }),
        [`GET /marketplace/listings/${listing.id}`]: () => ({ status: 200, body: listing }),
        [`PATCH /marketplace/installations/${installation.id}`]: () => errorAnswer(403, 'FORBIDDEN', 'Missing permission agent:manage'),
      },
    });
    const card = within(await screen.findByTestId('installation'));
    const share = card.getByRole('checkbox', { name: 'Share results on the listing’s page' }) as HTMLInputElement;
    fireEvent.click(share);
    expect((await card.findByRole('alert')).textContent).toBe(
      'Could not start sharing the results: Your role in this workspace cannot change what was installed, so you cannot change this. Ask an admin of the workspace.',
    );
    expect(share.checked).toBe(false);
  });

  it('uninstalls after confirming, naming what goes', async () => {
    const view = renderInstalled();
    fireEvent.click(await screen.findByRole('button', { name: 'Uninstall' }));
    const dialog = within(await screen.findByRole('dialog', { name: 'Uninstall Scout?' }));
    expect(within(dialog.getByRole('list', { name: 'What uninstalling deletes' })).getByText('my-scout')).toBeTruthy();
    fireEvent.click(dialog.getByRole('button', { name: 'Uninstall Scout' }));
    expect(await screen.findByText('Uninstalled Scout: what it created is deleted.')).toBeTruthy();
    expect(view.calls.some((call) => call.method === 'DELETE')).toBe(true);
    expect(await screen.findByText('Nothing installed yet')).toBeTruthy();
  });

  it('says a refused preview in plain words', async () => {
    renderMarketplace(<InstalledPage />, {
      at: '/marketplace/installed',
      routes: {
        'GET /marketplace/installations': () => ({ status: 200, body: { data: [installation] } }),
        [`GET /marketplace/listings/${listing.id}`]: () => ({ status: 200, body: listing }),
        [`GET /marketplace/installations/${installation.id}/upgrade`]: () =>
          errorAnswer(409, 'INSTALLATION_NOT_ACTIVE', 'This installation was uninstalled. Install the listing again instead.'),
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Upgrade to 1.1.0' }));
    const dialog = within(await screen.findByRole('dialog'));
    expect((await dialog.findByRole('alert')).textContent).toBe('This was uninstalled already. Install the listing again to use it.');
    expect((dialog.getByRole('button', { name: 'Upgrade to 1.1.0' }) as HTMLButtonElement).disabled).toBe(true);
  });
});
