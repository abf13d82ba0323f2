// `npm run integrations:rotate-key`: re-encrypts every integration's credentials with the current
// (first) key of ENCRYPTION_KEY, now, instead of waiting for the hourly job. Run it after putting a
// new key first; remove the old key once it reports nothing left that cannot be read.
import { buildDeps } from '../deps.ts';
import { loadEnv } from '../env.ts';
import { rotateIntegrationKeys } from './integrations.ts';

const deps = await buildDeps(loadEnv());
try {
  const { resealed, unreadable } = await rotateIntegrationKeys(deps);
  console.log(`Re-encrypted with key "${deps.env.ENCRYPTION_KEY_RING.currentKid}": ${resealed} integration(s).`);
  if (unreadable) {
    console.error(`${unreadable} integration(s) were sealed with a key ENCRYPTION_KEY no longer lists; their admins must reconnect them.`);
    process.exitCode = 1;
  }
} finally {
  await deps.db.close();
}
