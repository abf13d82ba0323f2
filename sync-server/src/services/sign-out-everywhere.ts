import type { Deps, SessionUser } from '../context.ts';

/** Ends every session of the user, the caller's own included (a lost phone, a shared desk). */
export async function signOutEverywhere(deps: Deps, user: SessionUser) {
  await deps.lucia.invalidateUserSessions(user.id);
}
