// The offline label queue on fake-indexeddb: a crop waits, is read once, its bytes go, and the
// reading follows the package the form was saved as.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AiLabelAnswer } from '../../domain/ai';
import { LabelQueue, LabelQueueDb } from './label-queue';

const FACILITY = '00000000-0000-4000-8000-000000000001';
let queue: LabelQueue;
beforeEach(() => {
  queue = new LabelQueue(new LabelQueueDb(FACILITY, { indexedDB: new IDBFactory(), IDBKeyRange }));
});

const answer: AiLabelAnswer = {
  carrier: 'ups',
  trackingNumber: '1Z5R89390357567127',
  recipientName: 'Dana Lee',
  sender: 'ACME',
  confidence: 0.95,
  review: [],
  trackingCheck: 'matches_barcode',
  candidates: [],
};

describe('offline label queue', () => {
  it('keeps the crop until it is read, then only the reading', async () => {
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 1, 2, 3]);
    const row = await queue.add(new Blob([bytes], { type: 'image/jpeg' }), {
      barcode: '1Z5R89390357567127',
      draftId: 'd1',
      trackingNumber: null,
    });
    const [waiting] = await queue.waiting();
    expect(waiting!.id).toBe(row.id);
    const crop = queue.crop(waiting!)!;
    expect(crop.type).toBe('image/jpeg');
    expect(new Uint8Array(await crop.arrayBuffer())).toEqual(bytes);

    await queue.read(row.id, answer);
    expect(await queue.waiting()).toEqual([]);
    const [read] = await queue.all();
    expect(read).toMatchObject({ state: 'read', bytes: null, answer });
  });

  it('a saved package takes its draft’s labels; other drafts keep theirs', async () => {
    const a = await queue.add(new Blob([new Uint8Array([1])], { type: 'image/jpeg' }), {
      barcode: null,
      draftId: 'd1',
      trackingNumber: null,
    });
    const b = await queue.add(new Blob([new Uint8Array([2])], { type: 'image/jpeg' }), {
      barcode: null,
      draftId: 'd2',
      trackingNumber: null,
    });
    await queue.saved('d1', 'pkg-1', '1Z5R89390357567127');
    const rows = Object.fromEntries((await queue.all()).map((r) => [r.id, r]));
    expect(rows[a.id]).toMatchObject({ packageId: 'pkg-1', trackingNumber: '1Z5R89390357567127' });
    expect(rows[b.id]).toMatchObject({ packageId: null });
    await queue.failed(b.id, 'refused');
    await queue.remove(a.id);
    expect((await queue.all()).map((r) => [r.id, r.state, r.bytes])).toEqual([[b.id, 'failed', null]]);
  });
});
