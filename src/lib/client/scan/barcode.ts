// The barcode reader for the camera: the browser's own BarcodeDetector where it has one that reads
// carriers' codes, otherwise the ZXing WebAssembly polyfill. The polyfill and its wasm are loaded
// here, on demand, when the camera opens: they are not part of the intake screen's JavaScript.
import { SCAN_FORMATS, type DetectedCode } from '$lib/domain/scan-choice';

/** A barcode read, with where it is in the video (video pixels) when the reader says. */
export interface DetectedBarcode extends DetectedCode {
  boundingBox?: { x: number; y: number; width: number; height: number };
}

export interface BarcodeReader {
  /** Every barcode visible in the video's current frame. */
  detect(source: HTMLVideoElement): Promise<DetectedBarcode[]>;
  /** The browser's own detector (true) or the polyfill. */
  native: boolean;
}

interface NativeDetector {
  detect(source: HTMLVideoElement): Promise<DetectedBarcode[]>;
}
interface NativeDetectorClass {
  new (options: { formats: string[] }): NativeDetector;
  getSupportedFormats(): Promise<string[]>;
}

async function nativeReader(): Promise<BarcodeReader | null> {
  const Native = (globalThis as { BarcodeDetector?: NativeDetectorClass }).BarcodeDetector;
  if (!Native) return null;
  try {
    const supported = new Set(await Native.getSupportedFormats());
    const formats = SCAN_FORMATS.filter((f) => supported.has(f));
    // Some platforms ship the API with only QR codes (or nothing): carriers need Code 128.
    if (!formats.includes('code_128')) return null;
    const detector = new Native({ formats });
    return { native: true, detect: (v) => detector.detect(v) };
  } catch {
    return null;
  }
}

let reader: Promise<BarcodeReader> | null = null;

/** The reader, created once per page. */
export function barcodeReader(): Promise<BarcodeReader> {
  reader ??= (async () => {
    const native = await nativeReader();
    if (native) return native;
    const { polyfillReader } = await import('./barcode-polyfill');
    return polyfillReader([...SCAN_FORMATS]);
  })();
  reader.catch(() => (reader = null)); // a failed load may be tried again
  return reader;
}
