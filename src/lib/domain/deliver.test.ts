import { describe, expect, it } from 'vitest';
import {
  DeliverIndex,
  ageText,
  deliverSteps,
  emptyProof,
  groupOpenPackages,
  heldText,
  proofBlocker,
  proxyText,
  splitTracking,
} from './deliver';
import { checkProof } from './handoff';
import type { DepartmentRow, LocationRow, PackageRow, RecipientRow } from './sync/rows';

let n = 0;
const uuid = (prefix: string) => `${prefix}0000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;

function person(name: string, extra: Partial<RecipientRow> = {}): RecipientRow {
  return {
    id: uuid('a'),
    name,
    email: null,
    phone: null,
    employeeId: null,
    departmentId: null,
    defaultLocationId: null,
    notes: null,
    notifyEmail: true,
    notifySms: false,
    version: 1,
    deletedAt: null,
    ...extra,
  };
}

function pkg(recipient: RecipientRow | string, extra: Partial<PackageRow> = {}): PackageRow {
  const r = typeof recipient === 'string' ? null : recipient;
  return {
    id: uuid('b'),
    trackingNumber: `TRK${String(n).padStart(8, '0')}`,
    carrier: 'other',
    recipientId: r?.id ?? null,
    recipientName: r?.name ?? (recipient as string),
    sender: null,
    status: 'received',
    locationId: null,
    notes: null,
    holdNote: null,
    returnNote: null,
    receivedAt: '2026-11-20T09:00:00.000Z',
    notifiedAt: null,
    heldAt: null,
    deliveredAt: null,
    returnedAt: null,
    deliveredTo: null,
    signatureHash: null,
    receivedById: null,
    deliveredById: null,
    shelf: null,
    perishable: false,
    needsSignature: false,
    loggedAt: null,
    holdReason: null,
    proxyReason: null,
    returnReason: null,
    returnCarrier: null,
    returnedById: null,
    closedAt: null,
    version: 1,
    deletedAt: null,
    ...extra,
  };
}

const radiology: DepartmentRow = { id: uuid('d'), name: 'Radiology', version: 1, deletedAt: null };
const legal: DepartmentRow = { id: uuid('d'), name: 'Legal', version: 1, deletedAt: null };
const westWing: LocationRow = {
  id: uuid('c'),
  name: 'West Wing',
  building: 'Main',
  floor: '3',
  deliveryInstructions: null,
  version: 1,
  deletedAt: null,
};
const mailroom: LocationRow = {
  id: uuid('c'),
  name: 'Mailroom',
  building: null,
  floor: null,
  deliveryInstructions: null,
  version: 1,
  deletedAt: null,
};

const ada = person('Ada Lovelace', { departmentId: radiology.id, defaultLocationId: westWing.id, employeeId: 'E100123' });
const grace = person('Grace Hopper', { departmentId: legal.id, email: 'grace@example.org' });
const alan = person('Alan Turing');

const adaOld = pkg(ada, { trackingNumber: '1Z999AA10123456784', receivedAt: '2026-11-18T08:00:00.000Z', needsSignature: true });
const adaHeld = pkg(ada, { status: 'held', heldAt: '2026-11-19T08:00:00.000Z', holdReason: 'id_required', holdNote: 'Show a badge' });
const adaNew = pkg(ada, {
  trackingNumber: '9400111899223817576545',
  receivedAt: '2026-11-21T08:00:00.000Z',
  perishable: true,
  shelf: 'B2',
});
const adaDone = pkg(ada, { status: 'delivered' });
const adaGone = pkg(ada, { deletedAt: '2026-11-21T00:00:00.000Z' });
const gracePkg = pkg(grace, { trackingNumber: '784533000001', locationId: mailroom.id });
const walkIn = pkg('Pat Visitor', { trackingNumber: 'LX12345678' });
const walkIn2 = pkg('pat  visitor', { trackingNumber: 'LX87654321' });
const alanReturned = pkg(alan, { status: 'returned' });

const all = [adaOld, adaHeld, adaNew, adaDone, adaGone, gracePkg, walkIn, walkIn2, alanReturned];
const recipients = [ada, grace, alan];
const departments = [radiology, legal];
const locations = [westWing, mailroom];
const groups = () => groupOpenPackages(all, recipients, departments, locations);
const index = () => new DeliverIndex(groups(), recipients, departments, locations);
const found = (q: string) =>
  index()
    .search(q)
    .map((h) => h.group.name);

describe('groupOpenPackages', () => {
  it('groups the open packages (received and held) by recipient, oldest first; delivered, returned and deleted ones are left out', () => {
    const g = groups();
    expect(g.map((x) => [x.name, x.packages.length])).toEqual([
      ['Grace Hopper', 1],
      ['Ada Lovelace', 3],
      ['Pat Visitor', 2],
    ]);
    const a = g.find((x) => x.name === 'Ada Lovelace')!;
    expect(a.packages.map((p) => p.id)).toEqual([adaOld.id, adaHeld.id, adaNew.id]);
    expect(a.oldestAt).toBe(adaOld.receivedAt);
    expect(a.held).toBe(1);
    expect(a.department).toBe('Radiology');
    expect(a.location).toBe('West Wing (Main, floor 3)');
  });

  it('takes the location of the packages when the recipient has none, and groups a typed name regardless of case and spacing', () => {
    const g = groups();
    expect(g.find((x) => x.name === 'Grace Hopper')!.location).toBe('Mailroom');
    const pat = g.find((x) => x.name === 'Pat Visitor')!;
    expect(pat.recipientId).toBeNull();
    expect(pat.key).toBe('name:pat visitor');
  });
});

describe('DeliverIndex.search', () => {
  it('finds a recipient by name with a typo, by a prefix, by department, email and employee id', () => {
    expect(found('Lovleace')).toEqual(['Ada Lovelace']);
    expect(found('gra')).toEqual(['Grace Hopper']);
    expect(found('radiology')).toEqual(['Ada Lovelace']);
    expect(found('grace@example.org')).toEqual(['Grace Hopper']);
    expect(found('E100123')).toEqual(['Ada Lovelace']);
  });

  it('finds recipients logged by a typed name only', () => {
    expect(found('visitor')).toEqual(['Pat Visitor']);
  });

  it('finds by location, building, floor or shelf (every word)', () => {
    expect(found('west wing')).toEqual(['Ada Lovelace']);
    expect(found('mailroom')).toEqual(['Grace Hopper']);
    expect(found('b2')).toEqual(['Ada Lovelace']);
  });

  it('finds a package by its whole tracking number (spaces and case aside) and by its last digits, naming the package', () => {
    const whole = index().search('1z999aa1 0123456784');
    expect(whole.map((h) => [h.group.name, h.by, h.packageIds])).toEqual([['Ada Lovelace', 'tracking', [adaOld.id]]]);
    const last = index().search('6545');
    expect(last[0]).toMatchObject({ by: 'tracking', packageIds: [adaNew.id] });
    expect(last[0]!.group.name).toBe('Ada Lovelace');
  });

  it('ranks a whole tracking number before a recipient whose name merely resembles the query', () => {
    const g = [
      ...groupOpenPackages(
        [pkg(person('Anna 4321'), { trackingNumber: 'XX1234321' }), pkg(person('Bob'), { trackingNumber: '4321' })],
        [],
        [],
        [],
      ),
    ];
    const hits = new DeliverIndex(g).search('4321');
    expect(hits[0]!.group.name).toBe('Bob');
  });

  it('an empty query lists every recipient with packages waiting, in round order; nothing matches nonsense', () => {
    expect(found('')).toEqual(['Grace Hopper', 'Ada Lovelace', 'Pat Visitor']);
    expect(found('zzzzqqq')).toEqual([]);
  });

  it('byTracking finds an open package from a scanned label; groupOfPackage finds its recipient', () => {
    const i = index();
    expect(i.byTracking('784533000001').map((h) => h.pkg.id)).toEqual([gracePkg.id]);
    expect(i.byTracking(adaDone.trackingNumber)).toEqual([]);
    expect(i.groupOfPackage(adaHeld.id)!.name).toBe('Ada Lovelace');
    expect(i.groupOfPackage(adaDone.id)).toBeUndefined();
  });
});

describe('how a package reads', () => {
  it('splits off the last four characters of a tracking number', () => {
    expect(splitTracking('1Z999AA10123456784')).toEqual(['1Z999AA1012345', '6784']);
    expect(splitTracking('123')).toEqual(['', '123']);
  });

  it('says the age in minutes, hours, then days', () => {
    const t = Date.parse('2026-11-20T12:00:00.000Z');
    expect(ageText('2026-11-20T11:58:30.000Z', t)).toBe('1 min');
    expect(ageText('2026-11-20T07:00:00.000Z', t)).toBe('5 h');
    expect(ageText('2026-11-17T12:00:00.000Z', t)).toBe('3 d');
    expect(ageText('2026-11-20T12:05:00.000Z', t)).toBe('0 min');
  });

  it('words a hold', () => {
    expect(heldText(adaHeld)).toBe('Photo ID required — Show a badge');
    expect(heldText({ holdReason: null, holdNote: 'old style note' })).toBe('old style note');
  });
});

describe('proofBlocker', () => {
  const unsigned = { ...emptyProof() };
  const signed = { ...emptyProof(), signed: true };
  const facility = { signatureRequired: true };
  const relaxed = { signatureRequired: false };

  it('asks for a signature when the facility wants one at every hand-off', () => {
    expect(proofBlocker([gracePkg], unsigned, facility)).toMatch(/signature is needed for every hand-off/);
    expect(proofBlocker([gracePkg], signed, facility)).toBeNull();
  });

  it('asks for a signature when a selected package needs one, even where the facility does not', () => {
    expect(proofBlocker([gracePkg], unsigned, relaxed)).toBeNull();
    expect(proofBlocker([adaOld, adaNew], unsigned, relaxed)).toBe('1 of 2 packages need a signature: ask the recipient to sign');
    expect(proofBlocker([adaOld], unsigned, relaxed)).toBe('This package needs a signature: ask the recipient to sign');
    expect(proofBlocker([adaOld, adaNew], signed, relaxed)).toBeNull();
  });

  it('a proxy pickup needs the name and a reason; "Other" needs words', () => {
    const proxy = { ...signed, to: 'someone' as const };
    expect(proofBlocker([adaNew], proxy, facility)).toBe('Say who is collecting the packages');
    expect(proofBlocker([adaNew], { ...proxy, otherName: 'Charles Babbage' }, facility)).toMatch(/proxy pickup/);
    expect(proofBlocker([adaNew], { ...proxy, otherName: 'Charles Babbage', proxyReason: 'other' }, facility)).toMatch(/Say why/);
    expect(
      proofBlocker([adaNew], { ...proxy, otherName: 'Charles Babbage', proxyReason: 'other', proxyNote: 'Her driver' }, facility),
    ).toBeNull();
    expect(proofBlocker([adaNew], { ...proxy, otherName: 'Charles Babbage', proxyReason: 'colleague' }, facility)).toBeNull();
  });

  it('nothing selected cannot be confirmed', () => {
    expect(proofBlocker([], signed, facility)).toBe('Select at least one package');
  });

  it('agrees with checkProof on every step it lets through', () => {
    const drafts = [
      signed,
      unsigned,
      { ...signed, to: 'someone' as const, otherName: 'Charles', proxyReason: 'family' as const },
      { ...unsigned, to: 'someone' as const, otherName: 'Ada Lovelace' },
    ];
    for (const settings of [facility, relaxed]) {
      for (const d of drafts) {
        for (const selection of [[adaOld], [adaNew, gracePkg], [adaOld, adaNew]]) {
          if (proofBlocker(selection, d, settings)) continue;
          const steps = deliverSteps(selection, d, {
            signatureHash: d.signed ? 'a'.repeat(64) : null,
            photoHash: null,
            at: '2026-11-20T12:00:00.000Z',
          });
          selection.forEach((p, i) => expect(checkProof(p, steps[i]!, settings).ok).toBe(true));
        }
      }
    }
  });
});

describe('deliverSteps', () => {
  it('one step per package, the same signature, photo and time; to the recipient by the name on each package', () => {
    const steps = deliverSteps([adaOld, walkIn], emptyProof(), {
      signatureHash: 'a'.repeat(64),
      photoHash: 'b'.repeat(64),
      at: '2026-11-20T12:00:00.000Z',
    });
    expect(steps).toEqual([
      {
        id: adaOld.id,
        deliveredTo: 'Ada Lovelace',
        proxyReason: null,
        signatureHash: 'a'.repeat(64),
        photoHash: 'b'.repeat(64),
        at: '2026-11-20T12:00:00.000Z',
      },
      {
        id: walkIn.id,
        deliveredTo: 'Pat Visitor',
        proxyReason: null,
        signatureHash: 'a'.repeat(64),
        photoHash: 'b'.repeat(64),
        at: '2026-11-20T12:00:00.000Z',
      },
    ]);
  });

  it('a proxy pickup names the person and the reason in words', () => {
    const [s] = deliverSteps(
      [adaOld],
      { ...emptyProof(), to: 'someone', otherName: ' Charles Babbage ', proxyReason: 'colleague', proxyNote: 'same lab' },
      {
        signatureHash: null,
        photoHash: null,
        at: '2026-11-20T12:00:00.000Z',
      },
    );
    expect(s).toMatchObject({ deliveredTo: 'Charles Babbage', proxyReason: 'Colleague collecting: same lab' });
    expect(proxyText('other', '  ')).toBeNull();
    expect(proxyText('reception', '')).toBe('Reception or front desk');
  });
});
