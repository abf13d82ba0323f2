// The demo organization `npm start` creates on an empty embedded database: two facilities with
// recipients, departments, locations and packages, and a sign-in printed on start.
import { randomUUID } from 'node:crypto';
import { eventHash } from '../src/lib/domain/custody.ts';
import type { Deps } from '../sync-server/src/context.ts';
import { addMembership } from '../sync-server/src/repositories/facilities.ts';
import { findUserByEmail } from '../sync-server/src/repositories/users.ts';
import { takeVersion } from '../sync-server/src/repositories/sync.ts';
import { createFacility } from '../sync-server/src/services/create-facility.ts';
import { resolveActor } from '../sync-server/src/services/resolve-actor.ts';
import { signUp } from '../sync-server/src/services/sign-up.ts';

export const DEMO_EMAIL = 'demo@packagetrack.test';
/** Demo data only: the embedded database on a developer's machine. */
export const DEMO_PASSWORD = 'demo-mailroom-2026';

const CARRIERS = ['ups', 'fedex', 'usps', 'dhl', 'amazon'];

export async function seedDemo(deps: Deps): Promise<{ email: string; password: string } | null> {
  if (await findUserByEmail(deps.db.prisma, DEMO_EMAIL)) return { email: DEMO_EMAIL, password: DEMO_PASSWORD };
  if ((await deps.db.prisma.user.count()) > 0) return null; // a real installation: leave it alone

  const { user, facility, sessionId } = await signUp(deps, {
    name: 'Dana Demo',
    email: DEMO_EMAIL,
    password: DEMO_PASSWORD,
    organizationName: 'Acme Corporation',
    facilityName: 'Headquarters Mailroom',
    ageConfirmed: true,
  });
  const actor = await resolveActor(deps, { user, sessionId, activeFacilityId: facility.id });
  const second = await createFacility(deps, actor, { name: 'North Campus Mailroom' });
  await deps.lucia.invalidateSession(sessionId);

  const operator = await deps.db.prisma.user.create({
    data: {
      id: randomUUID(),
      email: 'operator@packagetrack.test',
      name: 'Oscar Operator',
      passwordHash: user.passwordHash,
      ageConfirmedAt: new Date(),
    },
  });
  await addMembership(deps.db.prisma, { id: randomUUID(), userId: operator.id, facilityId: facility.id, role: 'operator' });

  await seedFacility(deps, facility.id, 0);
  await seedFacility(deps, second.id, 1);
  return { email: DEMO_EMAIL, password: DEMO_PASSWORD };
}

async function seedFacility(deps: Deps, facilityId: string, n: number) {
  await deps.db.withFacility(facilityId, async (tx) => {
    const version = await takeVersion(tx, facilityId);
    const departments = ['Engineering', 'Finance', 'People Operations'].map((name) => ({ id: randomUUID(), facilityId, name, version }));
    await tx.department.createMany({ data: departments });
    const locations = [
      { name: 'Shelf A', building: n ? 'North 1' : 'HQ', floor: '1' },
      { name: 'Shelf B', building: n ? 'North 1' : 'HQ', floor: '1' },
      { name: 'Cold storage', building: n ? 'North 1' : 'HQ', floor: 'B1', deliveryInstructions: 'Perishables; notify at once' },
    ].map((l) => ({ id: randomUUID(), facilityId, version, ...l }));
    await tx.location.createMany({ data: locations });
    const people = n ? ['Noah Nguyen', 'Nora Patel', 'Nils Berg'] : ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Katherine Johnson'];
    const recipients = people.map((name, i) => ({
      id: randomUUID(),
      facilityId,
      name,
      email: `${name.split(' ')[0]!.toLowerCase()}@acme.test`,
      departmentId: departments[i % departments.length]!.id,
      defaultLocationId: locations[i % 2]!.id,
      version,
    }));
    await tx.recipient.createMany({ data: recipients });
    const now = Date.now();
    const packages = recipients.flatMap((r, i) =>
      [0, 1].map((k) => ({
        id: randomUUID(),
        facilityId,
        trackingNumber: `1Z${(999000 + i * 10 + k + n * 100).toString()}DEMO${k}`,
        carrier: CARRIERS[(i + k) % CARRIERS.length]!,
        recipientId: r.id,
        recipientName: r.name,
        sender: k ? 'Office Supplies Inc.' : 'Books & Co.',
        status: 'received' as const,
        locationId: locations[(i + k) % locations.length]!.id,
        receivedAt: new Date(now - (i * 2 + k) * 3600_000),
        version,
      })),
    );
    await tx.package.createMany({ data: packages });
    // Each package's first event, sealed as the custody log's first link (custody.ts).
    const recordedAt = new Date(now);
    await tx.packageEvent.createMany({
      data: packages.map((p) => {
        const e = { id: randomUUID(), facilityId, packageId: p.id, type: 'received', data: {}, at: p.receivedAt, recordedAt, version };
        const content = { ...e, seq: 1, actorId: null, clientId: null, mutationId: null };
        return { ...e, seq: 1, prevHash: null, hash: eventHash(content, null) };
      }),
    });
  });
}
