import type { Document, DocumentTemplate } from '@mission-control/contracts';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { testId, workspaceId } from '../../test/fixtures';
import { renderWithApp } from '../../test/render-with-app';
import { NewDocumentButton } from './documents-page';

const runbook: DocumentTemplate = {
  id: 'runbook',
  name: 'Runbook',
  description: 'Steps to follow when something happens, and how to check they worked.',
  type: 'protocol',
  content: '# Runbook\n\n## When\n',
  builtIn: true,
};
const own: DocumentTemplate = { ...runbook, id: testId(), name: 'Incident review', type: 'research', builtIn: false };

const documentOf = (overrides: Partial<Document>): Document => ({
  id: testId(),
  workspaceId,
  taskId: null,
  title: 'Restart the queue',
  content: runbook.content,
  type: 'protocol',
  author: { kind: 'user', id: testId() },
  version: 1,
  createdAt: '2026-01-01T09:00:00.000Z',
  updatedAt: '2026-01-01T09:00:00.000Z',
  ...overrides,
});

describe('new document dialog', () => {
  it('offers the templates and creates the document from the chosen one', async () => {
    const view = renderWithApp(<NewDocumentButton />, {
      'GET /document-templates': () => ({ status: 200, body: { data: [runbook, own] } }),
      'POST /documents': () => ({ status: 201, body: documentOf({}) }),
    });
    await userEvent.click(screen.getByRole('button', { name: '+ New document' }));
    const dialog = await screen.findByRole('dialog', { name: 'New document' });
    const template = within(dialog).getByLabelText('Start from');
    expect(await within(dialog).findByRole('option', { name: 'Incident review (this workspace)' })).toBeTruthy();

    await userEvent.selectOptions(template, 'runbook');
    expect(within(dialog).getByText(/how to check they worked\. It makes a protocol\./)).toBeTruthy();
    const type = within(dialog).getByLabelText<HTMLSelectElement>('Type');
    expect(type.disabled).toBe(true);
    expect(type.value).toBe('protocol');

    await userEvent.type(within(dialog).getByLabelText('Title'), 'Restart the queue');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create' }));
    await expect
      .poll(() => view.calls.find((call) => call.method === 'POST')?.body)
      .toEqual({ title: 'Restart the queue', templateId: 'runbook' });
  });

  it('creates a blank document of the chosen type without a template', async () => {
    const view = renderWithApp(<NewDocumentButton />, {
      'GET /document-templates': () => ({ status: 200, body: { data: [runbook] } }),
      'POST /documents': () => ({ status: 201, body: documentOf({ type: 'research', content: '' }) }),
    });
    await userEvent.click(screen.getByRole('button', { name: '+ New document' }));
    const dialog = await screen.findByRole('dialog', { name: 'New document' });
    await userEvent.selectOptions(within(dialog).getByLabelText('Type'), 'research');
    await userEvent.type(within(dialog).getByLabelText('Title'), 'Sources');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create' }));
    await expect
      .poll(() => view.calls.find((call) => call.method === 'POST')?.body)
      .toEqual({ title: 'Sources', type: 'research', content: '' });
  });
});
