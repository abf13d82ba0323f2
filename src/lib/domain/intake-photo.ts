// Intake photos are shrunk on the device before they are stored and queued: a 12 MP camera JPEG
// (3–5 MB) becomes ~200–400 KB, so the queue fits the device and the upload fits bad Wi-Fi. The
// server fits photos into 1,600 × 1,600 anyway (docs/sync.md "Blobs"); doing it here first loses
// nothing it would keep.
export const PHOTO_MAX_EDGE = 1600;
export const PHOTO_JPEG_QUALITY = 0.8;

/** The size to draw an image at so its long edge is at most `maxEdge`; never enlarged. */
export function fitWithin(width: number, height: number, maxEdge = PHOTO_MAX_EDGE): { width: number; height: number } {
  if (!(width > 0 && height > 0)) throw new Error(`not an image size: ${width}×${height}`);
  const scale = Math.min(1, maxEdge / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}
