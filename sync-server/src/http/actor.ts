import type { Context } from 'hono';
import type { AppEnv } from '../context.ts';
import { resolveActor } from '../services/resolve-actor.ts';
import { requireUser } from './session.ts';

/** The signed-in user acting in the session's active facility (401/404 otherwise). */
export function actorOf(c: Context<AppEnv>) {
  return resolveActor(c.get('deps'), { ...requireUser(c), activeFacilityId: c.get('activeFacilityId') });
}
