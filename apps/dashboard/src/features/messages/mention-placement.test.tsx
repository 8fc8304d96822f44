import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeAgent, makeMember, testId } from '../../test/fixtures';
import { renderWithApp } from '../../test/render-with-app';
import { MessageEditor } from './message-editor';
import { choosePlacement } from './use-popup-placement';

const routes = {
  'GET /agents': () => ({ status: 200, body: { data: [makeAgent({ name: 'quill' })], nextCursor: null } }),
  'GET /members': () => ({ status: 200, body: { data: [makeMember('Owner', 'demo@mission.local')] } }),
};

describe('the @ list opens where it can be seen (defect 10)', () => {
  it('goes above the field when there is room, below it near the top of the screen, else to the roomier side', () => {
    expect(choosePlacement({ top: 500, bottom: 570 }, 844)).toBe('above');
    expect(choosePlacement({ top: 40, bottom: 110 }, 844)).toBe('below');
    // A phone with its keyboard up: 300 px of screen left, the field in the middle.
    expect(choosePlacement({ top: 120, bottom: 190 }, 300)).toBe('above');
    expect(choosePlacement({ top: 60, bottom: 130 }, 300)).toBe('below');
  });

  describe('in the message editor', () => {
    const scrolled: Element[] = [];
    let fieldBox = { top: 0, bottom: 0 };
    beforeEach(() => {
      localStorage.clear();
      scrolled.length = 0;
      // jsdom lays nothing out: the field's box and scrolling are what a browser would report.
      vi.spyOn(HTMLTextAreaElement.prototype, 'getBoundingClientRect').mockImplementation(
        () => ({ ...fieldBox, left: 0, right: 300, width: 300, height: fieldBox.bottom - fieldBox.top, x: 0, y: fieldBox.top }) as DOMRect,
      );
      Element.prototype.scrollIntoView = function scrollIntoView(this: Element) {
        scrolled.push(this);
      };
    });
    afterEach(() => {
      vi.restoreAllMocks();
      Reflect.deleteProperty(Element.prototype, 'scrollIntoView');
    });

    const openList = async (text: string) => {
      const user = userEvent.setup();
      renderWithApp(<MessageEditor taskId={testId()} />, routes);
      await waitFor(() => expect(screen.queryByText('Loading')).toBeNull());
      const textarea = screen.getByRole('combobox');
      await user.click(textarea);
      await user.type(textarea, text);
      return { user, listbox: await screen.findByRole('listbox', { name: 'Mention' }) };
    };

    it('opens below a field at the top of the drawer, and scrolls the list into view', async () => {
      fieldBox = { top: 30, bottom: 100 };
      const { listbox } = await openList('@ow');
      expect(listbox.getAttribute('data-placement')).toBe('below');
      expect(listbox.className).toContain('top-full');
      expect(scrolled).toContain(listbox);
      expect(screen.getAllByRole('option').map((option) => option.textContent)).toEqual(['Owner @demo person']);
    });

    it('opens above a field low on the screen, and keeps the active option in view while arrowing', async () => {
      fieldBox = { top: 600, bottom: 670 };
      const { user, listbox } = await openList('@');
      expect(listbox.getAttribute('data-placement')).toBe('above');
      expect(listbox.className).toContain('bottom-full');
      await user.keyboard('{ArrowDown}');
      const active = screen.getAllByRole('option')[1];
      expect(active?.getAttribute('aria-selected')).toBe('true');
      expect(scrolled).toContain(active);
    });
  });
});
