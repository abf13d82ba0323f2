// Account rules shared by the sign-up form and the server (http-api.md "Accounts and sessions").
import { z } from 'zod';
import { timeZone } from './facility-settings';
import { ROLES } from './permissions';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;
export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 15;
export const INVITATION_TTL_DAYS = 7;
export const TRIAL_DAYS = 10;
/**
 * Lucia slides a session's expiry forward while it is used; this caps its whole life, so a stolen
 * cookie that is kept busy still dies within a month of the sign-in that made it.
 */
export const SESSION_ABSOLUTE_LIFETIME_DAYS = 30;
export const PASSWORD_RESET_TTL_MINUTES = 30;

/** True once a session created at `createdAt` has outlived the absolute lifetime. */
export const sessionOutlived = (createdAt: Date, now: Date = new Date()) =>
  now.getTime() - createdAt.getTime() >= SESSION_ABSOLUTE_LIFETIME_DAYS * 24 * 3600 * 1000;

export const email = z
  .string()
  .trim()
  .max(254)
  .email({ message: 'Enter a valid email address' })
  .transform((s) => s.toLowerCase());

export const password = z
  .string()
  .min(PASSWORD_MIN_LENGTH, { message: `Use at least ${PASSWORD_MIN_LENGTH} characters` })
  .max(PASSWORD_MAX_LENGTH);

const personName = z.string().trim().min(1, { message: 'Enter your name' }).max(120);
const ageConfirmed = z.literal(true, { message: 'You must be 18 or older to use PackageTrack Pro' });

export const signupInput = z.strictObject({
  name: personName,
  email,
  password,
  organizationName: z.string().trim().min(1, { message: 'Enter your organization' }).max(120),
  facilityName: z.string().trim().min(1, { message: 'Enter your first facility' }).max(120),
  ageConfirmed,
});
export type SignupInput = z.infer<typeof signupInput>;

export const loginInput = z.strictObject({
  email: z
    .string()
    .trim()
    .max(254)
    .transform((s) => s.toLowerCase()),
  password: z.string().max(PASSWORD_MAX_LENGTH),
});

/** The current password is checked, not validated: any length up to the maximum is worth a bcrypt compare. */
export const changePasswordInput = z.strictObject({
  currentPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  newPassword: password,
});

export const passwordResetRequestInput = z.strictObject({ email });

export const passwordResetInput = z.strictObject({ password });

export const role = z.enum(ROLES);

export const invitationInput = z.strictObject({
  email,
  role,
  facilityId: z.string().uuid(),
});

/** A new user accepting an invitation fills these; a signed-in user sends an empty body. */
export const acceptInvitationInput = z.union([z.strictObject({ name: personName, password, ageConfirmed }), z.strictObject({})]);

export const createFacilityInput = z.strictObject({
  name: z.string().trim().min(1, { message: 'Enter a name' }).max(120),
  timezone: timeZone.optional(),
});

export const activeFacilityInput = z.strictObject({ facilityId: z.string().uuid() });

/**
 * What the custody log, the team and every other name lookup show for someone who deleted their
 * account: the users row stays (its id is still each event's actorId) with this as its name.
 */
export const FORMER_MEMBER_NAME = 'Former member';

/** The erased email of a deleted account: unique per row and never a valid address to sign in with. */
export const erasedEmail = (userId: string) => `deleted:${userId}`;

/**
 * Correcting one's profile (privacy policy §8). A new email address needs the current password:
 * the address is how the account is signed in to and reset, so a left-open session alone must not
 * be able to move it elsewhere.
 */
export const updateProfileInput = z
  .strictObject({
    name: personName.optional(),
    email: email.optional(),
    emailOptOut: z.boolean().optional(),
    currentPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH).optional(),
  })
  .refine((v) => v.name !== undefined || v.email !== undefined || v.emailOptOut !== undefined, {
    message: 'Send a name, an email or emailOptOut',
  });
export type UpdateProfileInput = z.infer<typeof updateProfileInput>;

/** Deleting one's account takes the password (checked, not validated, like the current password). */
export const deleteAccountInput = z.strictObject({ password: z.string().min(1).max(PASSWORD_MAX_LENGTH) });

/** An organization owner hands the organization to one of its admins. */
export const transferOrganizationInput = z.strictObject({ userId: z.string().uuid() });

export const organizationInput = z.strictObject({
  name: z.string().trim().min(1, { message: 'Enter a name' }).max(120),
});
