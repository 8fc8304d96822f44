import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeSession } from '../../test/fixtures';
import { renderWithApp } from '../../test/render-with-app';
import { AppShell } from './app-shell';

describe('AppShell', () => {
  it('opens the account menu when the account button was clicked before the menu had loaded', async () => {
    const rendered = renderWithApp(<AppShell />, {});
    act(() => rendered.services.session.set(makeSession('owner')));
    // The menu's code is loaded on demand: the first button is its placeholder, and a click on it
    // must not be lost (a slow phone or a busy machine clicks before the chunk arrives).
    fireEvent.click(screen.getByRole('button', { name: 'Olivia (account menu)' }));
    const menu = await screen.findByRole('menu');
    expect(within(menu).getByText('olivia@example.com · owner')).toBeTruthy();
  });
});
