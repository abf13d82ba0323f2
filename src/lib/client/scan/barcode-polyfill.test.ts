// The polyfill's JavaScript (barcode-detector, which bundles zxing-wasm's loader) and the wasm file
// the app serves (the zxing-wasm package) must be the same build: a loader fed another version's
// wasm fails at the first scan, on the device.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ZXING_WASM_SHA256, ZXING_WASM_VERSION } from 'barcode-detector/ponyfill';
import { describe, expect, it } from 'vitest';

describe('the barcode reader wasm served by the app', () => {
  it('is the build the polyfill was made for', () => {
    const require = createRequire(import.meta.url);
    const file = require.resolve('zxing-wasm/reader/zxing_reader.wasm');
    const pkg = JSON.parse(readFileSync(path.join(file, '../../../package.json'), 'utf8')) as { name: string; version: string };
    expect(pkg).toMatchObject({ name: 'zxing-wasm', version: ZXING_WASM_VERSION });
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(ZXING_WASM_SHA256);
  });
});
