// The one API client of the browser: JSON over fetch, same-origin cookie, and every failure turned
// into an ApiError with the server's stable code (http-api.md errors).
import type { z } from 'zod';
import type {
  acceptInvitationInput,
  activeFacilityInput,
  changePasswordInput,
  createFacilityInput,
  deleteAccountInput,
  invitationInput,
  organizationInput,
  loginInput,
  passwordResetInput,
  passwordResetRequestInput,
  signupInput,
  transferOrganizationInput,
  updateProfileInput,
} from '$lib/domain/account';
import type { MyProfile } from '$lib/domain/my-data';
import type { Reports, ReportsQuery } from '$lib/domain/reports';
import type { facilitySettingsInput } from '$lib/domain/facility-settings';
import type { PackageListResponse } from '$lib/domain/package-list';
import type { Role } from '$lib/domain/permissions';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Turns a failed response into an ApiError, whatever its body. */
export async function toApiError(res: Response): Promise<ApiError> {
  let body: { error?: unknown; message?: unknown } | undefined;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  const code = typeof body?.error === 'string' ? body.error : `http_${res.status}`;
  const message = typeof body?.message === 'string' ? body.message : `The server answered ${res.status}`;
  return new ApiError(res.status, code, message);
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'offline', 'No connection to the server. Check the network and try again.');
  }
  if (!res.ok) throw await toApiError(res);
  // 204, and 202 of the password reset request, carry no body.
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export interface Me {
  user: { id: string; name: string; email: string; emailOptOut: boolean };
  organizations: { id: string; name: string; isOwner: boolean }[];
  memberships: { facilityId: string; facilityName: string; facilityCode: string; organizationId: string; role: Role; active: boolean }[];
  activeFacilityId: string | null;
}

export interface Facility {
  id: string;
  name: string;
  code: string;
  timezone: string;
  photoRetentionDays: number;
  reminderIntervalHours: number;
  /** "Signature required for every hand-off". */
  signatureRequired: boolean;
  /**
   * No notification leaves between these local times (facility time zone); null: none. Optional:
   * a facility cached on the device by an older version has neither of these two.
   */
  quietHours?: { start: string; end: string } | null;
  /** The channels a new recipient starts with. */
  notificationDefaults?: { email: boolean; sms: boolean };
  holdNoteInNotifications?: boolean;
  active: boolean;
  organizationId: string;
  organizationName: string;
  role: Role;
  isOrganizationOwner: boolean;
  /** Only for roles that hand packages over (docs/sync.md "Pickup codes"). */
  pickupKey?: string;
}

export interface TeamMember {
  userId: string;
  name: string;
  email: string;
  role: Role;
  /** The latest push of any of their devices in this facility; null before any. */
  lastActiveAt: string | null;
}

export interface Organization {
  id: string;
  name: string;
  isOwner: boolean;
  facilities: {
    id: string;
    name: string;
    code: string;
    active: boolean;
    deactivatedAt: string | null;
    createdAt: string;
    members: number;
  }[];
}

export interface InvitationInfo {
  email: string;
  organizationName: string;
  facilityName: string;
  role: Role;
  existingUser: boolean;
}

export const api = {
  signup: (body: z.input<typeof signupInput>) =>
    request<{ user: Omit<Me['user'], 'emailOptOut'>; facilityId: string }>('POST', '/api/auth/signup', body),
  login: (body: z.input<typeof loginInput>) => request<{ ok: true }>('POST', '/api/auth/login', body),
  logout: () => request<void>('POST', '/api/auth/logout'),
  logoutEverywhere: () => request<void>('POST', '/api/auth/logout-all'),
  changePassword: (body: z.input<typeof changePasswordInput>) => request<void>('POST', '/api/me/password', body),
  requestPasswordReset: (body: z.input<typeof passwordResetRequestInput>) => request<void>('POST', '/api/auth/password-reset', body),
  resetPassword: (token: string, body: z.input<typeof passwordResetInput>) =>
    request<void>('POST', `/api/auth/password-reset/${encodeURIComponent(token)}`, body),
  me: () => request<Me>('GET', '/api/me'),
  /** The facility's numbers for local days from..to (GET /api/reports). */
  reports: (q: ReportsQuery) => request<Reports>('GET', `/api/reports?${new URLSearchParams({ from: q.from, to: q.to })}`),
  /** Correct your own profile (a new email needs currentPassword). */
  updateProfile: (body: z.input<typeof updateProfileInput>) => request<MyProfile>('PATCH', '/api/me', body),
  deleteAccount: (body: z.input<typeof deleteAccountInput>) => request<void>('DELETE', '/api/me', body),
  transferOrganization: (body: z.input<typeof transferOrganizationInput>) =>
    request<{ organizationId: string; ownerUserId: string }>('POST', '/api/organization/transfer', body),
  setActiveFacility: (body: z.input<typeof activeFacilityInput>) =>
    request<{ activeFacilityId: string }>('POST', '/api/me/active-facility', body),
  facility: () => request<Facility>('GET', '/api/facility'),
  updateFacility: (body: z.input<typeof facilitySettingsInput>) => request<Facility>('PATCH', '/api/facility', body),
  createFacility: (body: z.input<typeof createFacilityInput>) =>
    request<{ id: string; name: string; code: string; timezone: string }>('POST', '/api/facilities', body),
  team: () => request<{ members: TeamMember[] }>('GET', '/api/team'),
  changeRole: (userId: string, role: Role) =>
    request<{ userId: string; role: Role }>('PATCH', `/api/team/${encodeURIComponent(userId)}`, { role }),
  removeMember: (userId: string) => request<void>('DELETE', `/api/team/${encodeURIComponent(userId)}`),
  resendInvitation: (id: string) =>
    request<{ id: string; expiresAt: string; token?: string }>('POST', `/api/invitations/${encodeURIComponent(id)}/resend`),
  revokeInvitation: (id: string) => request<void>('DELETE', `/api/invitations/${encodeURIComponent(id)}`),
  organization: () => request<Organization>('GET', '/api/organization'),
  renameOrganization: (body: z.input<typeof organizationInput>) => request<Organization>('PATCH', '/api/organization', body),
  deactivateFacility: (id: string) => request<Organization>('POST', `/api/facilities/${encodeURIComponent(id)}/deactivate`),
  reactivateFacility: (id: string) => request<Organization>('POST', `/api/facilities/${encodeURIComponent(id)}/reactivate`),
  /** Names and roles of the active facility's members (any member may read them). */
  members: () => request<{ members: { userId: string; name: string; role: Role }[] }>('GET', '/api/facility/members'),
  /** A package's custody chain and whether it verifies (http-api.md "Packages and custody"). */
  custody: (packageId: string) =>
    request<{ packageId: string; events: unknown[]; verified: boolean }>('GET', `/api/packages/${encodeURIComponent(packageId)}/custody`),
  /** The desk's packages table: one page under the filters in `query` (domain/package-list.ts). */
  packages: (query: URLSearchParams) => request<PackageListResponse>('GET', `/api/packages?${query}`),
  invitations: () => request<{ invitations: { id: string; email: string; role: Role; expiresAt: string }[] }>('GET', '/api/invitations'),
  invite: (body: z.input<typeof invitationInput>) => request<{ id: string; token?: string }>('POST', '/api/invitations', body),
  invitation: (token: string) => request<InvitationInfo>('GET', `/api/invitations/${encodeURIComponent(token)}`),
  acceptInvitation: (token: string, body: z.input<typeof acceptInvitationInput>) =>
    request<{ facilityId: string }>('POST', `/api/invitations/${encodeURIComponent(token)}/accept`, body),
};

/** A `next` parameter is followed only to a path on this origin (no open redirects). */
export function safeNext(next: string | null | undefined, fallback = '/'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  return next;
}
