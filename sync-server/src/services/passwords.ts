// bcrypt at the configured cost (12 everywhere but fast test runs; privacy policy §7).
import bcrypt from 'bcrypt';

let dummyHash: Promise<string> | undefined;

export const hashPassword = (password: string, cost: number) => bcrypt.hash(password, cost);

export const verifyPassword = (password: string, hash: string) => bcrypt.compare(password, hash);

/** Compares against a hash of the same cost so an unknown email takes as long as a known one. */
export async function burnPasswordCheck(password: string, cost: number): Promise<void> {
  dummyHash ??= bcrypt.hash('not a real password, only a timing equaliser', cost);
  await bcrypt.compare(password, await dummyHash);
}
