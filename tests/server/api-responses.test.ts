// The browser's API client takes its types from the schemas the routes document (z.infer of
// src/lib/domain/api-responses.ts and the other shared response schemas). Here every answer the
// client reads is fetched for real and parsed with its schema, strictly: a field the server adds,
// drops, renames or sends in another form (a Date object instead of an ISO string, a number as text)
// fails, so the client's types cannot drift from what the server answers.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { activityPage } from '../../src/lib/domain/activity.ts';
import { aiLabelAnswer, aiMatchAnswer, aiSearchAnswer } from '../../src/lib/domain/ai.ts';
import {
  activeFacilityResponse,
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
  packageDetailResponse,
  roleChangedResponse,
  signupResponse,
  teamResponse,
  transferResponse,
} from '../../src/lib/domain/api-responses.ts';
import { myDataSchema, myProfileSchema } from '../../src/lib/domain/my-data.ts';
import { packageListResponse } from '../../src/lib/domain/package-list.ts';
import { reportsSchema } from '../../src/lib/domain/reports.ts';
import { TestClient, signupBody, startTestApp, type Res, type TestApp } from './harness.ts';
import { Device, mutation, receiveArgs } from './sync-helpers.ts';
import { startFakeAnthropic } from './fake-anthropic.ts';
import { LABELS, labelPng } from './label-images.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

/** The answer has the expected status and is exactly what `schema` describes. */
function answers<S extends z.ZodType>(res: Res, status: number, schema: S): z.infer<S> {
  expect(res.status, res.text).toBe(status);
  const parsed = schema.safeParse(res.json);
  if (!parsed.success) throw new Error(`${res.text.slice(0, 300)}\ndoes not match its schema:\n${parsed.error.message}`);
  return parsed.data;
}

describe('every answer the client reads matches the schema the route documents', () => {
  it('accounts, facility, team, invitations, organization, packages, activity, reports and my data', async () => {
    const owner = new TestClient(t);
    const body = signupBody();
    const signup = answers(await owner.post('/api/auth/signup', body), 201, signupResponse);
    const facilityId = signup.facilityId;

    const again = new TestClient(t);
    answers(await again.post('/api/auth/login', { email: body.email, password: body.password }), 200, loginResponse);

    const me = answers(await owner.get('/api/me'), 200, meResponse);
    expect(me.activeFacilityId).toBe(facilityId);
    // Every field of the facility, quiet hours set (the nested object) and the pickup key present.
    answers(await owner.request('PATCH', '/api/facility', { quietHours: { start: '22:00', end: '06:00' } }), 200, facilityResponse);
    const facility = answers(await owner.get('/api/facility'), 200, facilityResponse);
    expect(facility.quietHours).toEqual({ start: '22:00', end: '06:00' });
    expect(facility.pickupKey).toEqual(expect.any(String));

    const annex = answers(await owner.post('/api/facilities', { name: 'Annex' }), 201, createdFacilityResponse);
    const org = answers(await owner.get('/api/organization'), 200, organizationResponse);
    expect(org.facilities.map((f) => f.id)).toContain(annex.id);
    answers(await owner.request('PATCH', '/api/organization', { name: 'Renamed org' }), 200, organizationResponse);
    const deactivated = answers(await owner.post(`/api/facilities/${annex.id}/deactivate`), 200, organizationResponse);
    expect(deactivated.facilities.find((f) => f.id === annex.id)?.deactivatedAt).toEqual(expect.any(String));
    answers(await owner.post(`/api/facilities/${annex.id}/reactivate`), 200, organizationResponse);

    // Invitations: created, listed, shown, resent and accepted.
    const email = `mate-${randomUUID()}@example.test`;
    const inv = answers(await owner.post('/api/invitations', { email, role: 'operator', facilityId }), 201, invitationCreatedResponse);
    const open = answers(await owner.get('/api/invitations'), 200, invitationListResponse);
    expect(open.invitations.map((i) => i.id)).toEqual([inv.id]);
    const resent = answers(await owner.post(`/api/invitations/${inv.id}/resend`), 200, invitationResentResponse);
    answers(await new TestClient(t).get(`/api/invitations/${resent.token}`), 200, invitationInfoResponse);
    const mate = new TestClient(t);
    const accepted = answers(
      await mate.post(`/api/invitations/${resent.token}/accept`, { name: 'Mate', password: 'a long password', ageConfirmed: true }),
      200,
      invitationAcceptedResponse,
    );
    expect(accepted.facilityId).toBe(facilityId);
    const mateId = answers(await mate.get('/api/me'), 200, meResponse).user.id;

    // A package with a few events, pushed by the member's device: the device has synced, so the
    // team shows their last activity (a time, not null).
    const pkg = receiveArgs();
    const device = new Device(mate, facilityId);
    const pushed = await device.push([
      mutation(1, 'package.receive', pkg),
      mutation(2, 'package.hold', { id: pkg.id, note: 'At the desk' }),
    ]);
    expect(pushed.json.results.map((r: { status: string }) => r.status)).toEqual(['applied', 'applied']);

    const team = answers(await owner.get('/api/team'), 200, teamResponse);
    expect(team.members.find((m) => m.userId === mateId)?.lastActiveAt).toEqual(expect.any(String));
    answers(await mate.get('/api/facility/members'), 200, facilityMembersResponse);
    answers(await owner.request('PATCH', `/api/team/${mateId}`, { role: 'admin' }), 200, roleChangedResponse);

    const list = answers(await owner.get('/api/packages?status=all'), 200, packageListResponse);
    expect(list.items.map((i) => i.id)).toEqual([pkg.id]);
    expect(list.counts).not.toBeNull();
    const custody = answers(await owner.get(`/api/packages/${pkg.id}/custody`), 200, custodyResponse);
    expect(custody.verified).toBe(true);
    answers(await owner.get(`/api/packages/${pkg.id}`), 200, packageDetailResponse);
    const log = answers(await owner.get('/api/activity'), 200, activityPage);
    expect(log.items.length).toBeGreaterThan(0);
    const day = new Date().toISOString().slice(0, 10);
    answers(await owner.get(`/api/reports?from=${day}&to=${day}`), 200, reportsSchema);

    answers(await owner.request('PATCH', '/api/me', { name: 'Owner renamed' }), 200, myProfileSchema);
    answers(await owner.get('/api/me/export'), 200, myDataSchema);
    answers(await owner.post('/api/me/active-facility', { facilityId: annex.id }), 200, activeFacilityResponse);
    answers(await owner.post('/api/organization/transfer', { userId: mateId }), 200, transferResponse);
  });

  it('the AI answers (label, match, search) through a Messages-API stand-in', async () => {
    const fake = await startFakeAnthropic();
    Object.assign(t.deps.env, { ANTHROPIC_API_KEY: 'sk-ant-schema-test', ANTHROPIC_BASE_URL: fake.url });
    try {
      const owner = new TestClient(t);
      const signup = answers(await owner.post('/api/auth/signup', signupBody()), 201, signupResponse);
      const ada = randomUUID();
      const device = new Device(owner, signup.facilityId);
      const pkg = receiveArgs({ recipientId: ada, recipientName: 'Ada Lovelace' });
      const pushed = await device.push([
        mutation(1, 'recipient.upsert', { id: ada, name: 'Ada Lovelace' }),
        mutation(2, 'package.receive', pkg),
      ]);
      expect(pushed.status, pushed.text).toBe(200);
      expect(answers(await owner.get('/api/facility'), 200, facilityResponse).ai).toEqual({ enabled: true });

      const f = LABELS.ups!;
      fake.reply(() => ({
        tool: { carrier: f.carrier, trackingNumber: f.trackingNumber, recipientName: f.recipientName, sender: f.sender, confidence: 0.9 },
      }));
      const png = await labelPng(f);
      const label = answers(
        await owner.request('POST', '/api/ai/label', new Uint8Array(png), { 'content-type': 'image/png' }),
        200,
        aiLabelAnswer,
      );
      expect(label.candidates.map((c) => c.recipientId)).toEqual([ada]);

      fake.reply(() => ({ tool: { candidate: 'c1', confidence: 0.9 } }));
      answers(await owner.post('/api/ai/match', { name: 'Ada L.', candidateIds: [ada] }), 200, aiMatchAnswer);

      fake.reply(() => ({ tool: { status: 'received', recipientName: 'Ada Lovelace' } }));
      const found = answers(await owner.post('/api/ai/search', { q: 'waiting for Ada Lovelace' }), 200, aiSearchAnswer);
      expect(found.items.map((i) => i.id)).toEqual([pkg.id]);
    } finally {
      Object.assign(t.deps.env, { ANTHROPIC_API_KEY: undefined, ANTHROPIC_BASE_URL: undefined });
      await fake.close();
    }
  });

  it('a schema refuses what it does not describe (the check is strict)', () => {
    const good = { ok: true };
    expect(loginResponse.safeParse(good).success).toBe(true);
    expect(loginResponse.safeParse({ ...good, extra: 1 }).success).toBe(false);
    expect(invitationResentResponse.safeParse({ id: 'x', expiresAt: new Date() }).success).toBe(false);
  });
});
