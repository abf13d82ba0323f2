import { describe, expect, it } from 'vitest';
import { FACILITY_CODE_PATTERN, facilityCode } from './facility-code';

const seq = (values: number[]) => {
  let i = 0;
  return (n: number) => values[i++ % values.length]! % n;
};

describe('facility codes', () => {
  it('takes up to three letters of the name and four unambiguous characters', () => {
    expect(facilityCode('Headquarters Mailroom', seq([0, 1, 2, 30]))).toBe('HEA-ABC9');
    expect(facilityCode('Zürich Ost', seq([0]))).toBe('ZUR-AAAA');
    expect(facilityCode('42', seq([5]))).toBe('FAC-FFFF');
    expect(facilityCode('B', seq([0]))).toBe('BX-AAAA');
  });

  it('always matches the pattern and never uses look-alike characters', () => {
    for (let k = 0; k < 200; k++) {
      const code = facilityCode(`Facility ${k}`, (n) => Math.floor(Math.random() * n));
      expect(code).toMatch(FACILITY_CODE_PATTERN);
      expect(code.slice(4)).not.toMatch(/[01ILO]/);
    }
  });
});
