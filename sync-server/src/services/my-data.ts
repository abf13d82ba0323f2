// Data rights of every signed-in user (privacy policy §8; http-api.md "Your own data"): correct
// the profile, download everything held about them, delete the account, and — for an
// organization's owner — hand the organization to one of its admins first.
import type { UpdateProfileInput } from '../../../src/lib/domain/account.ts';
import type { MyData } from '../../../src/lib/domain/my-data.ts';
import type { Deps, SessionUser } from '../context.ts';
import { AppError, forbidden } from '../http/errors.ts';
import { listMemberships } from '../repositories/facilities.ts';
import {
  emailTakenByOther,
  eraseUser,
  findAdminInOrganization,
  findProfile,
  listCustodyActions,
  listFacilityChanges,
  listInvitationsSent,
  listNotificationsTo,
  listOwnedOrganizations,
  listRecipientRecords,
  listSessionTimes,
  setOrganizationOwner,
  updateProfile,
} from '../repositories/my-data.ts';
import { findPasswordHash } from '../repositories/password-resets.ts';
import type { Actor } from './resolve-actor.ts';
import { verifyPassword } from './passwords.ts';

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

async function checkPassword(deps: Deps, userId: string, password: string | undefined) {
  const hash = await findPasswordHash(deps.db.prisma, userId);
  if (!password || !hash || !(await verifyPassword(password, hash))) {
    throw new AppError(403, 'invalid_credentials', 'The password is not right');
  }
}

const publicProfile = (p: {
  id: string;
  name: string;
  email: string;
  emailOptOut: boolean;
  emailVerifiedAt: Date | null;
  createdAt: Date;
}) => ({
  id: p.id,
  name: p.name,
  email: p.email,
  emailOptOut: p.emailOptOut,
  emailVerifiedAt: isoOrNull(p.emailVerifiedAt),
  createdAt: iso(p.createdAt),
});

export async function getProfile(deps: Deps, user: SessionUser) {
  const p = await findProfile(deps.db.prisma, user.id);
  if (!p) throw new AppError(401, 'unauthorized', 'Sign in first');
  return publicProfile(p);
}

/**
 * PATCH /api/me. A changed email address needs the current password (400 `password_required`
 * without it, 403 `invalid_credentials` when wrong) and must be free (409 `email_taken`).
 */
export async function changeProfile(deps: Deps, user: SessionUser, input: UpdateProfileInput) {
  const current = await findProfile(deps.db.prisma, user.id);
  if (!current) throw new AppError(401, 'unauthorized', 'Sign in first');
  const data: { name?: string; email?: string; emailOptOut?: boolean; emailVerifiedAt?: null } = {};
  if (input.name !== undefined) data.name = input.name;
  if (input.emailOptOut !== undefined) data.emailOptOut = input.emailOptOut;
  if (input.email !== undefined && input.email !== current.email) {
    if (!input.currentPassword) throw new AppError(400, 'password_required', 'Enter your current password to change your email');
    await checkPassword(deps, user.id, input.currentPassword);
    if (await emailTakenByOther(deps.db.prisma, input.email, user.id)) {
      throw new AppError(409, 'email_taken', 'Another account already uses this email');
    }
    data.email = input.email;
    // A new address is unproven until a link sent there is used: it links to no directory entry
    // (no bell, no notification switches) until then.
    if (input.email.toLowerCase() !== current.email.toLowerCase()) data.emailVerifiedAt = null;
  }
  try {
    return publicProfile(await updateProfile(deps.db.prisma, user.id, data));
  } catch (err) {
    // Two accounts claiming the same address at once: the unique index decides.
    if ((err as { code?: string }).code === 'P2002') throw new AppError(409, 'email_taken', 'Another account already uses this email');
    throw err;
  }
}

/** GET /api/me/export: the signed-in user's own data, never anyone else's, never a secret. */
export async function exportMyData(deps: Deps, user: SessionUser, sessionId: string): Promise<MyData> {
  const db = deps.db.prisma;
  const profile = await findProfile(db, user.id);
  if (!profile) throw new AppError(401, 'unauthorized', 'Sign in first');
  const [memberships, owned, sessions, invitations] = await Promise.all([
    listMemberships(db, user.id),
    listOwnedOrganizations(db, user.id),
    listSessionTimes(db, user.id),
    listInvitationsSent(db, user.id),
  ]);
  const custodyActions: MyData['custodyActions'] = [];
  const facilityChanges: MyData['facilityChanges'] = [];
  const recipientRecords: MyData['recipientRecords'] = [];
  const notifications: MyData['notifications'] = [];
  for (const m of memberships) {
    const facilityName = m.facility.name;
    const [events, changes, recipients, notes] = await deps.db.withFacility(m.facilityId, (tx) =>
      Promise.all([
        listCustodyActions(tx, m.facilityId, user.id),
        listFacilityChanges(tx, m.facilityId, user.id),
        listRecipientRecords(tx, m.facilityId, profile.email),
        listNotificationsTo(tx, m.facilityId, user.id),
      ]),
    );
    for (const e of events) custodyActions.push({ ...e, at: iso(new Date(e.at)), facilityName });
    for (const c of changes) facilityChanges.push({ ...c, at: iso(c.at), facilityName });
    for (const r of recipients) recipientRecords.push({ ...r, createdAt: iso(r.createdAt), facilityName });
    for (const n of notes) notifications.push({ ...n, createdAt: iso(n.createdAt), sentAt: isoOrNull(n.sentAt), facilityName });
  }
  return {
    exportedAt: iso(new Date()),
    profile: publicProfile(profile),
    organizationsOwned: owned,
    memberships: memberships.map((m) => ({
      facilityId: m.facilityId,
      facilityName: m.facility.name,
      organizationName: m.facility.organization.name,
      role: m.role,
      since: iso(m.createdAt),
    })),
    sessions: sessions.map((s) => ({ createdAt: iso(s.createdAt), expiresAt: iso(s.expiresAt), current: s.id === sessionId })),
    invitationsSent: invitations.map((i) => ({
      email: i.email,
      role: i.role,
      facilityName: i.facility.name,
      createdAt: iso(i.createdAt),
      expiresAt: iso(i.expiresAt),
      acceptedAt: isoOrNull(i.acceptedAt),
    })),
    custodyActions,
    facilityChanges,
    recipientRecords,
    notifications,
  };
}

/**
 * DELETE /api/me. The password first (403 `invalid_credentials`, nothing changes); an organization
 * owner must hand the organization over first (409 `owner_must_transfer`). Then the account is
 * erased in one transaction and every session ends; past custody events keep their actorId and
 * read as "Former member" (account.ts FORMER_MEMBER_NAME).
 */
export async function deleteAccount(deps: Deps, user: SessionUser, password: string) {
  await checkPassword(deps, user.id, password);
  const owned = await listOwnedOrganizations(deps.db.prisma, user.id);
  if (owned.length > 0) {
    throw new AppError(409, 'owner_must_transfer', `You own ${owned.map((o) => o.name).join(', ')}: hand it to another admin first`, {
      organizations: owned,
    });
  }
  await deps.db.transaction(async (tx) => {
    // Checked again inside: a transfer to this user cannot slip in between.
    if ((await listOwnedOrganizations(tx, user.id)).length > 0) {
      throw new AppError(409, 'owner_must_transfer', 'You own an organization: hand it to another admin first');
    }
    await eraseUser(tx, user.id, new Date());
  });
}

/** POST /api/organization/transfer: the owner of the active facility's organization hands it to an admin. */
export async function transferOrganization(deps: Deps, actor: Actor, userId: string) {
  if (!actor.isOrganizationOwner) throw forbidden('Only the organization’s owner can hand it over');
  if (userId === actor.user.id) throw new AppError(409, 'already_owner', 'You already own this organization');
  const admin = await findAdminInOrganization(deps.db.prisma, actor.organizationId, userId);
  if (!admin) throw new AppError(409, 'not_an_admin', 'Hand the organization only to an admin of one of its facilities');
  await setOrganizationOwner(deps.db.prisma, actor.organizationId, userId);
  return { organizationId: actor.organizationId, ownerUserId: userId };
}
