// The Barcode Detection API polyfill (barcode-detector, ZXing-C++ compiled to WebAssembly). Its
// wasm file is part of our build (Vite emits it with a content hash) and so precached by the
// service worker: it is never fetched from a CDN (the CSP allows this origin only, and the camera
// must work offline). Imported dynamically by ./barcode.ts only.
import { BarcodeDetector, prepareZXingModule, type BarcodeFormat } from 'barcode-detector/ponyfill';
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';
import type { BarcodeReader, DetectedBarcode } from './barcode';

export async function polyfillReader(formats: string[]): Promise<BarcodeReader> {
  const wasm = new URL(wasmUrl, location.href).href;
  // Instantiated now, so a missing or refused wasm shows when the camera opens, not at the first frame.
  await prepareZXingModule({
    overrides: { locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? wasm : prefix + path) },
    fireImmediately: true,
  });
  const detector = new BarcodeDetector({ formats: formats as BarcodeFormat[] });
  return {
    native: false,
    detect: async (video) =>
      (await detector.detect(video)).map((b): DetectedBarcode => ({ format: b.format, rawValue: b.rawValue, boundingBox: b.boundingBox })),
  };
}
