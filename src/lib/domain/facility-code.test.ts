import { describe, expect, it } from 'vitest';
import { FACILITY_CODE_PATTERN, INTERNAL_ID_PATTERN, facilityCode, internalPackageId, isInternalPackageId } from './facility-code';
import { isTrackingNumber } from './tracking-number';

/** A deterministic `random`: the given values in turn (modulo n), recording every n asked for. */
function seq(values: number[]) {
  let i = 0;
  const asked: number[] = [];
  const random = (n: number) => {
    asked.push(n);
    return values[i++ % values.length]! % n;
  };
  return Object.assign(random, { asked });
}

const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

describe('facility codes', () => {
  it('takes up to three letters of the name and four characters of the unambiguous alphabet', () => {
    expect(facilityCode('Headquarters Mailroom', seq([0, 1, 2, 30]))).toBe('HEA-ABC9');
    expect(facilityCode('Zürich Ost', seq([0]))).toBe('ZUR-AAAA'); // accents folded
    expect(facilityCode('  the loading-dock ', seq([7]))).toBe('THE-HHHH'); // letters only, upper-cased
    expect(facilityCode('A1 B2', seq([8]))).toBe('AB-JJJJ'); // digits dropped
    expect(facilityCode('B', seq([0]))).toBe('BX-AAAA'); // padded to two
    expect(facilityCode('42', seq([5]))).toBe('FAC-FFFF'); // no letters
    expect(facilityCode('', seq([5]))).toBe('FAC-FFFF');
  });

  it('draws exactly four characters from the whole 31-character alphabet', () => {
    const r = seq([0]);
    facilityCode('Mailroom', r);
    expect(r.asked).toEqual([31, 31, 31, 31]);
    expect(ALPHABET).toHaveLength(31);
    // Every index maps to its character.
    for (let k = 0; k < ALPHABET.length; k++) expect(facilityCode('Mail', seq([k]))).toBe(`MAI-${ALPHABET[k]!.repeat(4)}`);
  });

  it('is deterministic for the same name and random sequence, and differs when the random does', () => {
    const values = [3, 14, 15, 9];
    expect(facilityCode('North Tower', seq(values))).toBe(facilityCode('North Tower', seq(values)));
    expect(facilityCode('North Tower', seq(values))).toBe('NOR-DRSK');
    expect(facilityCode('North Tower', seq([3, 14, 15, 10]))).not.toBe(facilityCode('North Tower', seq(values)));
  });

  it('always matches the pattern and never uses look-alike characters', () => {
    let state = 12345;
    const lcg = (n: number) => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state % n;
    };
    for (let k = 0; k < 500; k++) {
      const code = facilityCode(`Facility ${k}`, lcg);
      expect(code).toMatch(FACILITY_CODE_PATTERN);
      expect(code.slice(4)).not.toMatch(/[01ILO]/);
    }
  });

  it('the pattern refuses look-alikes, lower case and wrong lengths', () => {
    for (const bad of [
      'HEA-ABC0',
      'HEA-ABCO',
      'HEA-ABCI',
      'HEA-ABCL',
      'HEA-ABC1',
      'hea-ABCD',
      'HEAD-ABCD',
      'H-ABCD',
      'HEA-ABC',
      'HEA-ABCDE',
      'HEAABCD',
    ]) {
      expect(bad, bad).not.toMatch(FACILITY_CODE_PATTERN);
    }
    expect('HE-Z9Z9').toMatch(FACILITY_CODE_PATTERN);
  });
});

describe('internal package ids', () => {
  const at = new Date('2026-11-29T23:59:00Z');
  it('is the facility code, the UTC day and four unambiguous characters', () => {
    const id = internalPackageId('HEA-ABC9', at, seq([0, 1, 2, 30]));
    expect(id).toBe('HEA-ABC9-261129-ABC9');
    expect(isInternalPackageId(id)).toBe(true);
    expect(isTrackingNumber(id)).toBe(true);
  });

  it('never uses look-alike characters, whatever the random source', () => {
    for (let i = 0; i < 200; i++) {
      const id = internalPackageId('ZU-2345', at, (n) => Math.floor(Math.random() * n));
      expect(id).toMatch(INTERNAL_ID_PATTERN);
      expect(id.slice(-4)).not.toMatch(/[01OIL]/);
    }
  });

  it('refuses something that is not a facility code', () => {
    expect(() => internalPackageId('hq', at, seq([0]))).toThrow(/not a facility code/);
  });

  it('tells an internal id from a carrier number', () => {
    expect(isInternalPackageId('1Z5R89390357567127')).toBe(false);
  });
});
