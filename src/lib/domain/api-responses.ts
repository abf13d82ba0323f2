// The JSON the server answers, one schema per answer: the routes document them in
// /api/openapi.json and the browser's API client takes its types from them (z.infer), so the two
// cannot drift apart unnoticed (tests/server/api-responses.test.ts parses real answers with these,
// strictly). Times are ISO strings on the wire. Pure zod: the browser bundle loads this file too.
// Answers with a home of their own live beside their rules: activityPage (activity.ts),
// packageListResponse (package-list.ts), reportsSchema (reports.ts), myProfileSchema (my-data.ts).
import { z } from 'zod';
import { ROLES } from './permissions';

const role = z.enum(ROLES);
const isoTime = z.string().describe('ISO 8601 instant');

// --- accounts and sessions ---------------------------------------------------------------------

export const signupResponse = z.strictObject({
  user: z.strictObject({ id: z.string(), name: z.string(), email: z.string() }),
  facilityId: z.string(),
});

export const loginResponse = z.strictObject({ ok: z.literal(true) });

export const meResponse = z.strictObject({
  user: z.strictObject({ id: z.string(), name: z.string(), email: z.string(), emailOptOut: z.boolean() }),
  organizations: z.array(z.strictObject({ id: z.string(), name: z.string(), isOwner: z.boolean() })),
  memberships: z.array(
    z.strictObject({
      facilityId: z.string(),
      facilityName: z.string(),
      facilityCode: z.string(),
      organizationId: z.string(),
      role,
      active: z.boolean(),
    }),
  ),
  activeFacilityId: z.string().nullable(),
});
export type Me = z.infer<typeof meResponse>;

export const activeFacilityResponse = z.strictObject({ activeFacilityId: z.string() });

export const transferResponse = z.strictObject({ organizationId: z.string(), ownerUserId: z.string() });

// --- facilities, team and organization ------------------------------------------------------------

export const facilityResponse = z.strictObject({
  id: z.string(),
  name: z.string(),
  code: z.string(),
  timezone: z.string(),
  photoRetentionDays: z.number().int(),
  reminderIntervalHours: z.number().int(),
  signatureRequired: z.boolean().describe('"Signature required for every hand-off"'),
  quietHours: z
    .strictObject({ start: z.string(), end: z.string() })
    .nullable()
    .describe('No notification leaves between these local times (facility time zone); null: none'),
  notificationDefaults: z.strictObject({ email: z.boolean(), sms: z.boolean() }).describe('Channels a new recipient starts with'),
  holdNoteInNotifications: z.boolean().describe('Package Held messages show the hold note to the recipient'),
  aiEnabled: z.boolean().describe('The setting: an admin allows the AI features for this facility'),
  ai: z
    .strictObject({ enabled: z.boolean() })
    .describe('Whether the AI path can be tried now: a key is configured on the server and aiEnabled; false: local paths only'),
  settingsReviewedAt: isoTime.nullable().describe('When an admin last saved these settings; null: never (the setup checklist asks for it)'),
  active: z.boolean(),
  organizationId: z.string(),
  organizationName: z.string(),
  role,
  isOrganizationOwner: z.boolean(),
  pickupKey: z.string().optional().describe('The key devices check pickup codes with (base64url); only for roles that hand packages over'),
});
export type Facility = z.infer<typeof facilityResponse>;

export const createdFacilityResponse = z.strictObject({ id: z.string(), name: z.string(), code: z.string(), timezone: z.string() });

export const teamMemberResponse = z.strictObject({
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  role,
  lastActiveAt: isoTime.nullable().describe('Latest push of any of their devices in this facility; null before any'),
});
export type TeamMember = z.infer<typeof teamMemberResponse>;
export const teamResponse = z.strictObject({ members: z.array(teamMemberResponse) });

export const roleChangedResponse = z.strictObject({ userId: z.string(), role });

export const facilityMembersResponse = z.strictObject({
  members: z.array(z.strictObject({ userId: z.string(), name: z.string(), role })),
});

export const organizationResponse = z.strictObject({
  id: z.string(),
  name: z.string(),
  isOwner: z.boolean(),
  facilities: z.array(
    z.strictObject({
      id: z.string(),
      name: z.string(),
      code: z.string(),
      active: z.boolean(),
      deactivatedAt: isoTime.nullable(),
      createdAt: isoTime,
      members: z.number().int(),
    }),
  ),
});
export type Organization = z.infer<typeof organizationResponse>;

// --- invitations ------------------------------------------------------------------------------------

export const invitationCreatedResponse = z.strictObject({
  id: z.string(),
  token: z.string().optional().describe('Only when no mail provider is configured'),
});

export const invitationResentResponse = z.strictObject({ id: z.string(), expiresAt: isoTime, token: z.string().optional() });

export const invitationListResponse = z.strictObject({
  invitations: z.array(z.strictObject({ id: z.string(), email: z.string(), role, expiresAt: isoTime })),
});

export const invitationInfoResponse = z.strictObject({
  email: z.string(),
  organizationName: z.string(),
  facilityName: z.string(),
  role,
  existingUser: z.boolean(),
});
export type InvitationInfo = z.infer<typeof invitationInfoResponse>;

export const invitationAcceptedResponse = z.strictObject({ facilityId: z.string() });

// --- packages and custody ---------------------------------------------------------------------------

export const packageEventResponse = z.strictObject({
  id: z.string(),
  seq: z.number().int().nullable(),
  type: z.string(),
  data: z.unknown(),
  at: z.string().describe('When it happened, by the device’s clock'),
  recordedAt: z.string().describe('When the server recorded it'),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  clientId: z.string().nullable().describe('The device that recorded it'),
  mutationId: z.number().int().nullable(),
  hash: z.string().nullable(),
  prevHash: z.string().nullable(),
  sealed: z.boolean().describe('False for an event recorded before the custody log began'),
});

const chainVerdict = {
  verified: z.boolean(),
  brokenAt: z.number().int().optional().describe('The place (seq) where the chain first fails'),
  reason: z.string().optional(),
  unsealed: z.number().int().describe('Events recorded before the custody log began'),
};

export const custodyResponse = z.strictObject({ packageId: z.string(), events: z.array(packageEventResponse), ...chainVerdict });
export type CustodyResponse = z.infer<typeof custodyResponse>;

export const packageDetailResponse = z.strictObject({
  package: z.record(z.string(), z.unknown()),
  events: z.array(packageEventResponse),
  attachments: z.array(
    z.strictObject({
      kind: z.enum(['intake', 'delivery', 'signature']),
      hash: z.string(),
      uploaded: z.boolean(),
      url: z.string().nullable(),
      expiresAt: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
  custody: z.strictObject(chainVerdict),
});
