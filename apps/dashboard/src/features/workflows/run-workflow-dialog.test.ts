import { describe, expect, it } from 'vitest';
import { readInputValue } from './run-workflow-dialog';

describe('readInputValue', () => {
  it('reads each input type from what a person typed', () => {
    expect(readInputValue({ type: 'string' }, '  cats ')).toEqual({ value: 'cats' });
    expect(readInputValue({ type: 'number' }, '4.5')).toEqual({ value: 4.5 });
    expect(readInputValue({ type: 'list' }, 'one\n\n two \nthree')).toEqual({ value: ['one', 'two', 'three'] });
    expect(readInputValue({ type: 'object' }, '{"depth": 2}')).toEqual({ value: { depth: 2 } });
    expect(readInputValue({ type: 'string', required: true }, '   ')).toEqual({});
  });

  it('says what is wrong instead of sending it', () => {
    expect(readInputValue({ type: 'number' }, 'many').error).toBe('must be a number');
    expect(readInputValue({ type: 'object' }, '[1, 2]').error).toBe('must be a JSON object');
    expect(readInputValue({ type: 'object' }, '{nope').error).toMatch(/^must be a JSON object, such as/);
  });
});
