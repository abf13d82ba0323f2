import { describe, expect, it } from 'vitest';
import { invalidTrackingCharacters, isTrackingNumber, trackingNumberProblem } from './tracking-number';

describe('tracking number characters', () => {
  it.each(['1Z5R89390357567127', '1z 879e 9303 4683 4440', '9400-1000-0000', 'HQ-ABCD-261129-7KQ2', 'TBA000000000000', 'PO#123/45'])(
    'accepts what labels print: %s',
    (t) => expect(isTrackingNumber(t)).toBe(true),
  );

  it('refuses an emoji and names it', () => {
    const problem = trackingNumberProblem('1Z999📦');
    expect(problem).toMatch(/only letters A–Z, digits/);
    expect(problem).toContain('“📦”');
  });

  it('refuses accented letters, control characters and quotes, each named once', () => {
    expect(invalidTrackingCharacters('ÄBC\u0007DÄ"')).toEqual(['Ä', '\u0007', '"']);
    expect(trackingNumberProblem('AB\u0007C')).toContain('U+0007');
  });

  it('asks for a number when there is none, and for a letter or digit among separators', () => {
    expect(trackingNumberProblem('   ')).toBe('Scan or type the tracking number');
    expect(trackingNumberProblem('--//')).toMatch(/at least one letter or digit/);
  });

  it('says how long is too long', () => {
    expect(trackingNumberProblem('A'.repeat(121))).toMatch(/at most 120 characters \(this one has 121\)/);
    expect(trackingNumberProblem('A'.repeat(120))).toBeNull();
  });
});
