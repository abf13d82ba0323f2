// A pickup QR as drawn reads back, with the barcode reader the app's scanner uses, as the code.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { newPickupKey, normalizePickupCode, pickupCodeFor, pickupQrPayload } from '../domain/pickup-code';
import { qrDrawing } from './pickup-qr';

/** Rasterises a drawing (black on white, 4 modules of quiet zone, 6 px a module) as RGBA pixels. */
function raster(q: ReturnType<typeof qrDrawing>, scale = 6, quiet = 4) {
  const side = (q.size + 2 * quiet) * scale;
  const data = new Uint8ClampedArray(side * side * 4).fill(255);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const mx = Math.floor(x / scale) - quiet;
      const my = Math.floor(y / scale) - quiet;
      if (mx >= 0 && my >= 0 && mx < q.size && my < q.size && q.dark(mx, my)) {
        const i = (y * side + x) * 4;
        data[i] = data[i + 1] = data[i + 2] = 0;
      }
    }
  }
  return { data, width: side, height: side, colorSpace: 'srgb' } as unknown as ImageData;
}

describe('the pickup QR', () => {
  it('reads back as the payload, and the payload as the code', async () => {
    const require = createRequire(import.meta.url);
    await prepareZXingModule({
      overrides: { wasmBinary: readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm')) as unknown as ArrayBuffer },
      fireImmediately: true,
    });
    const code = pickupCodeFor(newPickupKey(), {
      facilityId: crypto.randomUUID(),
      recipientId: crypto.randomUUID(),
      recipientName: 'Ada Lovelace',
      packageId: crypto.randomUUID(),
    });
    const q = qrDrawing(pickupQrPayload(code));
    expect(q.size).toBe(21); // version 1: 14 alphanumeric characters fit the smallest symbol
    expect(q.d).toMatch(/^(M\d+ \d+h1v1h-1z)+$/);
    const [read] = await readBarcodes(raster(q), { formats: ['QRCode'], tryHarder: true });
    expect(read?.text).toBe(`PTP1:${code}`);
    expect(normalizePickupCode(read!.text)).toBe(code);
  });
});
