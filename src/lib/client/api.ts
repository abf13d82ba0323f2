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
import type {
  activeFacilityResponse,
  billingRedirectResponse,
  billingResponse,
  createdFacilityResponse,
  custodyResponse,
  facilityMembersResponse,
  facilityResponse,
  invitationAcceptedResponse,
  invitationCreatedResponse,
  invitationInfoResponse,
  invitationListResponse,
  invitationResentResponse,
  loginResponse,
  meResponse,
  organizationResponse,
  roleChangedResponse,
  signupResponse,
  teamResponse,
  transferResponse,
} from '$lib/domain/api-responses';
import type { myProfileSchema } from '$lib/domain/my-data';
import type { ReportsQuery, reportsSchema } from '$lib/domain/reports';
import type {
  ConnectIntegrationInput,
  IntegrationKind,
  IntegrationList,
  IntegrationView,
  TestIntegrationInput,
  TestIntegrationResult,
} from '$lib/domain/integrations';
import type {
  BellPage,
  MarkReadInput,
  MyRecipientPatch,
  MyRecipients,
  NotificationLogPage,
  NotificationMessage,
  UnsubscribeState,
} from '$lib/domain/notifications-api';
import type { facilitySettingsInput } from '$lib/domain/facility-settings';
import type { packageListResponse } from '$lib/domain/package-list';
import type { remindInput, remindResponse } from '$lib/domain/package-remind';
import type { Role } from '$lib/domain/permissions';
import type { AiLabelAnswer, AiMatchAnswer, AiMatchInput, AiSearchAnswer } from '$lib/domain/ai';

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

/**
 * The AI routes' request: a body of any kind (a label crop is JPEG bytes) and a deadline of the
 * device's own, a little past the server's (label 8 s, search 4 s), so a hung network falls back to
 * the local path too. A deadline passed is `offline`, like no network.
 */
async function requestWithin<T>(ms: number, method: string, path: string, body: Blob | object): Promise<T> {
  let res: Response;
  try {
    const raw = body instanceof Blob;
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { 'content-type': raw ? body.type : 'application/json' },
      body: raw ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(ms),
    });
  } catch {
    throw new ApiError(0, 'offline', 'No answer from the server in time. The device’s own reading is used.');
  }
  if (!res.ok) throw await toApiError(res);
  return (await res.json()) as T;
}

// Every answer's type comes from the schema the route documents (domain/api-responses.ts and the
// other shared response schemas): no hand-copied shapes here.
export type { Billing, Facility, InvitationInfo, Me, Organization, TeamMember } from '$lib/domain/api-responses';
type Answer<S extends z.ZodType> = z.infer<S>;

export const api = {
  signup: (body: z.input<typeof signupInput>) => request<Answer<typeof signupResponse>>('POST', '/api/auth/signup', body),
  login: (body: z.input<typeof loginInput>) => request<Answer<typeof loginResponse>>('POST', '/api/auth/login', body),
  logout: () => request<void>('POST', '/api/auth/logout'),
  logoutEverywhere: () => request<void>('POST', '/api/auth/logout-all'),
  changePassword: (body: z.input<typeof changePasswordInput>) => request<void>('POST', '/api/me/password', body),
  requestPasswordReset: (body: z.input<typeof passwordResetRequestInput>) => request<void>('POST', '/api/auth/password-reset', body),
  resetPassword: (token: string, body: z.input<typeof passwordResetInput>) =>
    request<void>('POST', `/api/auth/password-reset/${encodeURIComponent(token)}`, body),
  me: () => request<Answer<typeof meResponse>>('GET', '/api/me'),
  /** The facility's numbers for local days from..to (GET /api/reports). */
  reports: (q: ReportsQuery) =>
    request<Answer<typeof reportsSchema>>('GET', `/api/reports?${new URLSearchParams({ from: q.from, to: q.to })}`),
  /** Correct your own profile (a new email needs currentPassword). */
  updateProfile: (body: z.input<typeof updateProfileInput>) => request<Answer<typeof myProfileSchema>>('PATCH', '/api/me', body),
  deleteAccount: (body: z.input<typeof deleteAccountInput>) => request<void>('DELETE', '/api/me', body),
  transferOrganization: (body: z.input<typeof transferOrganizationInput>) =>
    request<Answer<typeof transferResponse>>('POST', '/api/organization/transfer', body),
  setActiveFacility: (body: z.input<typeof activeFacilityInput>) =>
    request<Answer<typeof activeFacilityResponse>>('POST', '/api/me/active-facility', body),
  facility: () => request<Answer<typeof facilityResponse>>('GET', '/api/facility'),
  updateFacility: (body: z.input<typeof facilitySettingsInput>) => request<Answer<typeof facilityResponse>>('PATCH', '/api/facility', body),
  integrations: () => request<IntegrationList>('GET', '/api/integrations'),
  connectIntegration: (kind: IntegrationKind, body: ConnectIntegrationInput) =>
    request<IntegrationView>('PUT', `/api/integrations/${kind}`, body),
  testIntegration: (kind: IntegrationKind, body: TestIntegrationInput) =>
    request<TestIntegrationResult>('POST', `/api/integrations/${kind}/test`, body),
  disconnectIntegration: (kind: IntegrationKind) => request<void>('DELETE', `/api/integrations/${kind}`),
  createFacility: (body: z.input<typeof createFacilityInput>) =>
    request<Answer<typeof createdFacilityResponse>>('POST', '/api/facilities', body),
  team: () => request<Answer<typeof teamResponse>>('GET', '/api/team'),
  changeRole: (userId: string, role: Role) =>
    request<Answer<typeof roleChangedResponse>>('PATCH', `/api/team/${encodeURIComponent(userId)}`, { role }),
  removeMember: (userId: string) => request<void>('DELETE', `/api/team/${encodeURIComponent(userId)}`),
  resendInvitation: (id: string) =>
    request<Answer<typeof invitationResentResponse>>('POST', `/api/invitations/${encodeURIComponent(id)}/resend`),
  revokeInvitation: (id: string) => request<void>('DELETE', `/api/invitations/${encodeURIComponent(id)}`),
  organization: () => request<Answer<typeof organizationResponse>>('GET', '/api/organization'),
  /** The active facility's plan state, and the organization's facilities for admins and the owner. */
  billing: () => request<Answer<typeof billingResponse>>('GET', '/api/billing'),
  /** Stripe Checkout for one facility (the owner); the browser goes to `url`. */
  checkout: (facilityId: string) => request<Answer<typeof billingRedirectResponse>>('POST', '/api/billing/checkout', { facilityId }),
  /** The Stripe Customer Portal of the organization (the owner). */
  billingPortal: () => request<Answer<typeof billingRedirectResponse>>('POST', '/api/billing/portal'),
  renameOrganization: (body: z.input<typeof organizationInput>) =>
    request<Answer<typeof organizationResponse>>('PATCH', '/api/organization', body),
  deactivateFacility: (id: string) =>
    request<Answer<typeof organizationResponse>>('POST', `/api/facilities/${encodeURIComponent(id)}/deactivate`),
  reactivateFacility: (id: string) =>
    request<Answer<typeof organizationResponse>>('POST', `/api/facilities/${encodeURIComponent(id)}/reactivate`),
  /** Names and roles of the active facility's members (any member may read them). */
  members: () => request<Answer<typeof facilityMembersResponse>>('GET', '/api/facility/members'),
  /** A package's custody chain and whether it verifies (http-api.md "Packages and custody"). */
  custody: (packageId: string) => request<Answer<typeof custodyResponse>>('GET', `/api/packages/${encodeURIComponent(packageId)}/custody`),
  /** The desk's packages table: one page under the filters in `query` (domain/package-list.ts). */
  packages: (query: URLSearchParams) => request<Answer<typeof packageListResponse>>('GET', `/api/packages?${query}`),
  /** The desk's bulk Remind: reminds the recipients of the selected packages now (admins). */
  remindPackages: (body: z.input<typeof remindInput>) => request<Answer<typeof remindResponse>>('POST', '/api/packages/remind', body),
  invitations: () => request<Answer<typeof invitationListResponse>>('GET', '/api/invitations'),
  invite: (body: z.input<typeof invitationInput>) => request<Answer<typeof invitationCreatedResponse>>('POST', '/api/invitations', body),
  invitation: (token: string) => request<Answer<typeof invitationInfoResponse>>('GET', `/api/invitations/${encodeURIComponent(token)}`),
  acceptInvitation: (token: string, body: z.input<typeof acceptInvitationInput>) =>
    request<Answer<typeof invitationAcceptedResponse>>('POST', `/api/invitations/${encodeURIComponent(token)}/accept`, body),
  /** The signed-in user's in-app notifications in the active facility. */
  bell: (limit?: number) => request<BellPage>('GET', `/api/me/notifications${limit ? `?limit=${limit}` : ''}`),
  markRead: (body: MarkReadInput) => request<{ unread: number }>('POST', '/api/me/notifications/read', body),
  /** The person's own directory entries and their email/SMS switches. */
  myRecipients: () => request<MyRecipients>('GET', '/api/me/recipients'),
  changeMyRecipient: (body: MyRecipientPatch) => request<MyRecipients>('PATCH', '/api/me/recipients', body),
  /** The delivery log (admins); `query` holds status, channel, kind, cursor, limit. */
  notifications: (query: URLSearchParams) => request<NotificationLogPage>('GET', `/api/notifications?${query}`),
  notification: (id: string) => request<NotificationMessage>('GET', `/api/notifications/${encodeURIComponent(id)}`),
  resendNotification: (id: string) => request<NotificationMessage>('POST', `/api/notifications/${encodeURIComponent(id)}/resend`),
  unsubscribeState: (token: string) => request<UnsubscribeState>('GET', `/api/unsubscribe/${encodeURIComponent(token)}`),
  unsubscribe: (token: string) => request<UnsubscribeState>('POST', `/api/unsubscribe/${encodeURIComponent(token)}`),
  /** Claude reads a label crop (JPEG); `barcode` is what the device read, for the server's cross-check. */
  aiLabel: (crop: Blob, barcode: string | null) =>
    requestWithin<AiLabelAnswer>(10_000, 'POST', `/api/ai/label${barcode ? `?${new URLSearchParams({ barcode })}` : ''}`, crop),
  /** Claude picks the label's name among at most 10 of the directory's close candidates. */
  aiMatch: (body: AiMatchInput) => requestWithin<AiMatchAnswer>(6_000, 'POST', '/api/ai/match', body),
  /** Claude turns a desk question into a filter; the server lists its first page. */
  aiSearch: (q: string) => requestWithin<AiSearchAnswer>(6_000, 'POST', '/api/ai/search', { q }),
};

/** A `next` parameter is followed only to a path on this origin (no open redirects). */
export function safeNext(next: string | null | undefined, fallback = '/'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  return next;
}
