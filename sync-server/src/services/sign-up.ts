import type { SignupInput } from '../../../src/lib/domain/account.ts';
import type { Deps } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { createOrganization } from '../repositories/facilities.ts';
import { createUser, findUserByEmail } from '../repositories/users.ts';
import { openFacility } from './create-facility.ts';
import { newId } from './ids.ts';
import { hashPassword } from './passwords.ts';

/**
 * Creates the user, their organization and its first facility (with its code and a trial), makes
 * the user the organization's owner and the facility's admin, and opens a session there.
 */
export async function signUp(deps: Deps, input: SignupInput, opts: { timezone?: string } = {}) {
  const passwordHash = await hashPassword(input.password, deps.env.BCRYPT_COST);
  const result = await deps.db.transaction(async (tx) => {
    if (await findUserByEmail(tx, input.email)) {
      throw new AppError(409, 'email_taken', 'An account with this email already exists; sign in instead');
    }
    const user = await createUser(tx, { id: newId(), email: input.email, name: input.name, passwordHash });
    const org = await createOrganization(tx, { id: newId(), name: input.organizationName, ownerUserId: user.id });
    const facility = await openFacility(tx, {
      organizationId: org.id,
      name: input.facilityName,
      timezone: opts.timezone,
      adminUserId: user.id,
    });
    return { user, org, facility };
  });
  const session = await deps.lucia.createSession(result.user.id, { activeFacilityId: result.facility.id });
  return { ...result, sessionId: session.id };
}
