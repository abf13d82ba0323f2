import { randomInt, randomUUID } from 'node:crypto';
import { facilityCode } from '../../../src/lib/domain/facility-code.ts';
import type { Tx } from '../db/index.ts';
import { facilityCodeTaken } from '../repositories/facilities.ts';

export const newId = () => randomUUID();

/** A facility code no other facility has (codes are unique and never change). */
export async function uniqueFacilityCode(tx: Tx, name: string): Promise<string> {
  for (;;) {
    const code = facilityCode(name, randomInt);
    if (!(await facilityCodeTaken(tx, code))) return code;
  }
}
