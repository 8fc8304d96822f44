import type { InboundHook } from '@mission-control/contracts';
import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeActivity, testId } from '../../test/fixtures';
import { renderWithApp } from '../../test/render-with-app';
import { InboundHooksPanel } from './inbound-hooks-panel';

describe('InboundHooksPanel', () => {
  it('refuses a template that is not JSON, creates a hook and shows its secret and the URL to call', async () => {
    const id = testId();
    const at = new Date().toISOString();
    const hook: InboundHook = {
      id,
      workspaceId: testId(),
      name: 'CI failures',
      action: 'create-task',
      template: { title: 'payload.title' },
      enabled: true,
      path: `/api/v1/hooks/${id}`,
      createdBy: { kind: 'user', id: testId() },
      lastReceivedAt: null,
      createdAt: at,
      updatedAt: at,
    };
    let hooks: InboundHook[] = [];
    const { calls } = renderWithApp(<InboundHooksPanel />, {
      'GET /inbound-hooks': () => ({ status: 200, body: { data: hooks } }),
      'GET /activities': () => ({
        status: 200,
        body: {
          data: hooks.length
            ? [
                makeActivity(9, {
                  type: 'inbound-hook-received',
                  data: { hookId: id, action: 'create-task' },
                  summary: 'Inbound hook "CI failures" ran create-task: TASK-9',
                }),
                makeActivity(8, {
                  type: 'inbound-hook-received',
                  data: { hookId: testId(), action: 'create-task' },
                  summary: 'another hook',
                }),
              ]
            : [],
          nextCursor: null,
        },
      }),
      'POST /inbound-hooks': () => {
        hooks = [hook];
        return { status: 201, body: { ...hook, secret: 'mchook_abc' } };
      },
    });
    expect(await screen.findByText('No inbound hook yet.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'CI failures' } });
    fireEvent.change(screen.getByLabelText(/^Template/), { target: { value: '{ title: payload.title' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create hook' }));
    expect((await screen.findByRole('alert')).textContent).toContain('The template is not JSON');
    expect(calls.filter((call) => call.method === 'POST')).toEqual([]);

    fireEvent.change(screen.getByLabelText(/^Template/), { target: { value: '{ "title": "payload.title" }' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create hook' }));
    expect((await screen.findByTestId('revealed-secret')).textContent).toBe('mchook_abc');
    expect(calls.find((call) => call.method === 'POST')?.body).toEqual({
      name: 'CI failures',
      action: 'create-task',
      template: { title: 'payload.title' },
    });
    expect((await screen.findAllByText(`${window.location.origin}/api/v1/hooks/${id}`)).length).toBe(2);
    expect(screen.getByText(/Create a task · enabled · last called never/)).toBeTruthy();
    const latest = await screen.findByRole('list', { name: 'Latest calls of CI failures' });
    expect(latest.textContent).toContain('Inbound hook "CI failures" ran create-task: TASK-9');
    expect(latest.textContent).not.toContain('another hook');
    expect(calls.find((call) => call.path === '/activities')).toBeTruthy();
  });
});
