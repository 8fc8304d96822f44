import type { WorkingState } from '@mission-control/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeAgent, makeMember } from '../../test/fixtures';
import { renderWithApp } from '../../test/render-with-app';
import WorkingStatePage, { describeForEditor } from './working-state-page';

const lead = makeAgent({ name: 'atlas' });
const owner = makeMember('Olivia Owner', 'olivia@example.com');
const ownerReference = { kind: 'user' as const, id: owner.user.id };
const leadReference = { kind: 'agent' as const, id: lead.id };
const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();

const versions = [
  { version: 2, notes: 'Ship on Friday\nStaging is green', author: leadReference, createdAt: hoursAgo(1) },
  { version: 1, notes: 'Ship on Friday', author: ownerReference, createdAt: hoursAgo(3) },
];

function state(version: number, notes: string): WorkingState {
  return { version, notes, markdown: `# WORKING.md\n\n${notes}`, updatedAt: hoursAgo(1), updatedBy: leadReference };
}

function renderPage() {
  return renderWithApp(<WorkingStatePage />, {
    'GET /agents': () => ({ status: 200, body: { data: [lead], nextCursor: null } }),
    'GET /members': () => ({ status: 200, body: { data: [owner], nextCursor: null } }),
    'GET /state/working-md': () => ({ status: 200, body: state(2, versions[0]?.notes ?? '') }),
    'GET /state/working-md/versions': () => ({
      status: 200,
      body: { data: versions.map(({ notes, ...summary }) => ({ ...summary, notesLength: notes.length })), nextCursor: null },
    }),
    'GET /state/working-md/versions/1': () => ({ status: 200, body: versions[1] }),
    'POST /state/working-md/versions/1/restore': () => ({ status: 200, body: state(3, 'Ship on Friday') }),
  });
}

describe('WorkingStatePage history', () => {
  it('lists versions with who wrote them by name and when as a relative time', async () => {
    renderPage();
    const list = await screen.findByRole('list', { name: 'Versions of the notes' });
    const rows = within(list).getAllByRole('listitem');
    expect(rows).toHaveLength(2);
    expect(within(rows[0] as HTMLElement).getByText('Version 2 (current)')).toBeTruthy();
    expect(within(rows[0] as HTMLElement).getByText('atlas', { exact: false })).toBeTruthy();
    expect(await within(rows[1] as HTMLElement).findByText('Olivia Owner', { exact: false })).toBeTruthy();
    expect(within(rows[1] as HTMLElement).getByText('3 hr. ago', { exact: false })).toBeTruthy();
    // The current version cannot be restored onto itself.
    expect(within(rows[0] as HTMLElement).queryByRole('button', { name: 'Restore' })).toBeNull();
  });

  it('shows what changed between an old version and the current notes', async () => {
    renderPage();
    const list = await screen.findByRole('list', { name: 'Versions of the notes' });
    fireEvent.click(within(list).getAllByRole('button', { name: 'View' })[1] as HTMLElement);
    const diff = await screen.findByTestId('version-diff');
    expect(within(diff).getByText('Version 1 → current notes')).toBeTruthy();
    const added = [...diff.querySelectorAll('[data-diff="added"]')].map((line) => line.textContent).join('\n');
    expect(added).toContain('Staging is green');
  });

  it('restores only after confirmation, sending the current version in If-Match, and puts the notes in the editor', async () => {
    const { calls } = renderPage();
    const list = await screen.findByRole('list', { name: 'Versions of the notes' });
    fireEvent.click(within(list).getByRole('button', { name: 'Restore' }));
    expect(calls.some((call) => call.method === 'POST')).toBe(false);
    expect(screen.queryByText(/unsaved edit/)).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Keep current' }));
    fireEvent.change(screen.getByLabelText(/Notes \(markdown\)/), { target: { value: 'A half-written thought' } });
    fireEvent.click(within(list).getByRole('button', { name: 'Restore' }));
    expect(screen.getByText(/Your unsaved edit in the editor will be replaced/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Yes, restore version 1' }));
    await waitFor(() =>
      expect(calls.filter((call) => call.method === 'POST').map((call) => call.path)).toEqual(['/state/working-md/versions/1/restore']),
    );
    await waitFor(() => expect((screen.getByLabelText(/Notes \(markdown\)/) as HTMLTextAreaElement).value).toBe('Ship on Friday'));
    expect(screen.getByLabelText(/editing on top of version 3/)).toBeTruthy();
  });
});

describe('describeForEditor', () => {
  it("replaces the file's pointer to the dashboard and the CLI with one about the editor on the page", () => {
    const text = describeForEditor(
      '## Notes\n_No notes yet. Edit them on the WORKING.md page of the dashboard or with `mission working edit`._\n',
    );
    expect(text).toBe('## Notes\n_No notes yet. Write them in the Notes editor on this page._\n');
  });
});
