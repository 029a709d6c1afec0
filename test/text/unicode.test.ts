import { describe, expect, it } from 'vitest';
import { neutralise, terminalJson } from '../../src/text/unicode.ts';

describe('caller text shown to people', () => {
  it('when caller text holds controls, bidi and separators, then each is shown as <U+XXXX> and printable text stays', () => {
    expect(neutralise('AQUA\u001b[2J\u202eFIX\u0085\u2028ok')).toBe('AQUA<U+001B>[2J<U+202E>FIX<U+0085><U+2028>ok');
    expect(neutralise('شركة الماء')).toBe('شركة الماء');
  });

  it('when JSON is printed for a terminal, then C1 and bidi are escaped and it parses to the same value', () => {
    const value = { callerName: 'EVIL\u202e\u009bFIRM', body: 'a\u2066b' };
    const text = terminalJson(value);
    expect(text).not.toMatch(/[\u0080-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});
