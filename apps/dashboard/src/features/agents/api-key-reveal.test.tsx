import type { CreatedApiKey } from '@mission-control/contracts';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeApiKey } from '../../test/fixtures';
import { ApiKeyReveal, listConnectSnippets } from './api-key-reveal';

const created: CreatedApiKey = { apiKey: makeApiKey(), secret: 'mc_abcd_secret' };

describe('ApiKeyReveal', () => {
  it('gives Claude Code, CLI and curl snippets carrying the server URL and the key, each with its own copy button', async () => {
    const written: string[] = [];
    Object.defineProperty(navigator, 'clipboard', {
      value: { writeText: async (text: string) => void written.push(text) },
      configurable: true,
    });
    render(<ApiKeyReveal created={created} agentId="agent-1" />);
    const claude = screen.getByRole('region', { name: 'Claude Code' });
    expect(within(claude).getByText(/claude mcp add --transport http mission-control/).textContent).toContain(
      `${window.location.origin}/mcp`,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Copy mission CLI snippet' }));
    await waitFor(() => expect(written).toHaveLength(1));
    expect(written[0]).toContain(`mission login --url ${window.location.origin} --api-key mc_abcd_secret`);
    expect(screen.getByText('Copied the mission CLI snippet')).toBeTruthy();
    expect(screen.getByRole('region', { name: 'curl' })).toBeTruthy();
  });

  it('puts the key in the Authorization header Claude Code sends to /mcp', () => {
    const [claude] = listConnectSnippets('https://mission.example.com', 'mc_key', 'agent-1');
    expect(claude?.text).toBe(
      'claude mcp add --transport http mission-control https://mission.example.com/mcp \\\n  --header "Authorization: Bearer mc_key"',
    );
  });
});
