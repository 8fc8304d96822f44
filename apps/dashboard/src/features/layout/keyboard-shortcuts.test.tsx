import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { useLocation } from 'react-router';
import { describe, expect, it } from 'vitest';
import { renderWithApp } from '../../test/render-with-app';
import { isTypingTarget, matchShortcut } from './keyboard-shortcuts';
import { KeyboardShortcuts } from './keyboard-shortcuts-listener';

function WhereAmI() {
  return <p data-testid="where">{useLocation().pathname}</p>;
}

function renderShortcuts() {
  return renderWithApp(
    <>
      <label>
        Title
        <input />
      </label>
      <div contentEditable suppressContentEditableWarning data-testid="editable">
        text
      </div>
      <WhereAmI />
      <KeyboardShortcuts />
    </>,
    {
      'GET /agents': () => ({ status: 200, body: { data: [], nextCursor: null } }),
      'GET /members': () => ({ status: 200, body: { data: [], nextCursor: null } }),
    },
  );
}

const press = (key: string, options: Partial<KeyboardEventInit> = {}, target: Element = document.body) =>
  fireEvent.keyDown(target, { key, ...options });

describe('KeyboardShortcuts', () => {
  it('? lists the shortcuts in a dialog that holds the focus and closes on Escape', async () => {
    renderShortcuts();
    press('?', { shiftKey: true });
    const dialog = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(within(dialog).getByText('Go to WORKING.md')).toBeTruthy();
    expect(within(dialog).getByText('Create a task')).toBeTruthy();
    await waitFor(() => expect(dialog.contains(document.activeElement)).toBe(true));
    fireEvent.keyDown(document.activeElement as Element, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('the ? button opens the same list, for someone who does not know the key', async () => {
    renderShortcuts();
    fireEvent.click(screen.getByRole('button', { name: 'Keyboard shortcuts' }));
    const dialog = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(within(dialog).getByText('Search the workspace')).toBeTruthy();
    fireEvent.keyDown(document.activeElement as Element, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('g then a letter goes to that page', async () => {
    renderShortcuts();
    press('g');
    press('t');
    expect(screen.getByTestId('where').textContent).toBe('/tasks');
    press('g');
    press('w');
    expect(screen.getByTestId('where').textContent).toBe('/working');
    press('g');
    press('i');
    expect(screen.getByTestId('where').textContent).toBe('/notifications');
    press('g');
    press('b');
    expect(screen.getByTestId('where').textContent).toBe('/');
  });

  it('c opens the new task form and / opens search', async () => {
    renderShortcuts();
    press('c');
    expect(await screen.findByRole('dialog', { name: 'New task' })).toBeTruthy();
    fireEvent.keyDown(document.activeElement as Element, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    press('/');
    expect(await screen.findByRole('dialog')).toBeTruthy();
    expect(screen.queryByRole('dialog', { name: 'New task' })).toBeNull();
  });

  it('never fires while typing in a field or editable text, nor with Ctrl, Cmd or Alt held', async () => {
    renderShortcuts();
    press('g', {}, screen.getByLabelText('Title'));
    press('t', {}, screen.getByLabelText('Title'));
    press('c', {}, screen.getByTestId('editable'));
    press('c', { ctrlKey: true });
    press('?', { metaKey: true, shiftKey: true });
    press('g', { altKey: true });
    press('t');
    expect(screen.getByTestId('where').textContent).toBe('/');
    // Give a lazily loaded dialog the chance to show up, had one been opened.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});

describe('matchShortcut', () => {
  it('knows whole shortcuts, the start of one, and keys that are none', () => {
    expect(matchShortcut(['g'])).toEqual({ kind: 'pending', keys: ['g'] });
    expect(matchShortcut(['g', 'd'])).toMatchObject({ kind: 'matched', shortcut: { action: { kind: 'go', to: '/documents' } } });
    expect(matchShortcut(['x'])).toEqual({ kind: 'none' });
  });

  it('treats inputs, textareas, selects and contenteditable as typing', () => {
    const field = document.createElement('textarea');
    const editable = document.createElement('div');
    editable.setAttribute('contenteditable', 'true');
    const inner = document.createElement('span');
    editable.append(inner);
    expect([isTypingTarget(field), isTypingTarget(inner), isTypingTarget(document.body)]).toEqual([true, true, false]);
  });
});
