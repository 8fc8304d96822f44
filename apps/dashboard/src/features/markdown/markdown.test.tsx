import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Markdown } from './markdown';
import { safeUrl } from './safe-url';

const origin = 'http://localhost:3000';

describe('safeUrl', () => {
  it('keeps http, https, mailto and relative links', () => {
    expect(safeUrl('https://example.com/a', 'link', { origin })).toBe('https://example.com/a');
    expect(safeUrl('mailto:ops@example.com', 'link', { origin })).toBe('mailto:ops@example.com');
    expect(safeUrl('/documents/1', 'link', { origin })).toBe('/documents/1');
  });

  it('drops script, data and disguised schemes', () => {
    for (const url of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'java\tscript:alert(1)',
      ' javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
    ]) {
      expect(safeUrl(url, 'link', { origin }), url).toBeNull();
    }
  });

  it('loads images only from allowed origins', () => {
    expect(safeUrl('/uploads/chart.png', 'image', { origin })).toBe(`${origin}/uploads/chart.png`);
    expect(safeUrl('https://tracker.example/pixel.gif', 'image', { origin })).toBeNull();
    expect(safeUrl('data:image/png;base64,AAAA', 'image', { origin })).toBeNull();
    expect(safeUrl('https://cdn.example/a.png', 'image', { origin, imageOrigins: ['https://cdn.example'] })).toBe(
      'https://cdn.example/a.png',
    );
  });
});

describe('Markdown', () => {
  it('renders raw HTML as inert text', () => {
    const { container } = render(<Markdown>{'Look: <img src=x onerror=alert(1)> and <script>alert(2)</script>'}</Markdown>);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('script')).toBeNull();
    expect(container.textContent).toContain('<img src=x onerror=alert(1)>');
  });

  it('removes javascript: links but keeps their text', () => {
    const { container } = render(<Markdown>{'[x](javascript:alert(1)) and [ok](https://example.com)'}</Markdown>);
    const links = [...container.querySelectorAll('a')];
    expect(links.map((link) => link.getAttribute('href'))).toEqual(['https://example.com']);
    expect(links[0]?.getAttribute('rel')).toContain('noopener');
    expect(container.textContent).toContain('x and ok');
  });

  it('shows a placeholder instead of an image from another origin', () => {
    const { container } = render(<Markdown>{'![pixel](https://tracker.example/p.gif)'}</Markdown>);
    expect(container.querySelector('img')).toBeNull();
    expect(container.textContent).toContain('[image: pixel]');
  });
});
