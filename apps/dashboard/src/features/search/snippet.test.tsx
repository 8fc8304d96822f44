import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Snippet } from './search-page';

describe('Snippet', () => {
  it('marks the matched words and renders markup in the text as text', () => {
    const { container } = render(<Snippet text={'open the **zanzibar** console <img src=x onerror=alert(1)> and **rotate**'} />);
    expect([...container.querySelectorAll('mark')].map((mark) => mark.textContent)).toEqual(['zanzibar', 'rotate']);
    expect(container.querySelector('img')).toBeNull();
    expect(container.textContent).toBe('open the zanzibar console <img src=x onerror=alert(1)> and rotate');
  });
});
