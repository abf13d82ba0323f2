// Shrinks a captured photo on the device (long edge ≤ 1,600 px, JPEG quality 0.8) before it is
// stored and queued. createImageBitmap decodes off the main thread where the browser can and
// applies the EXIF orientation ("from-image", the default); OffscreenCanvas encodes without a
// DOM canvas where it exists. Re-encoding also drops the camera's metadata (GPS) on the device.
import { PHOTO_JPEG_QUALITY, PHOTO_MAX_EDGE, fitWithin } from '../../domain/intake-photo';

export class NotAnImageError extends Error {
  readonly code = 'not_an_image';
  constructor() {
    super('That file is not a photo this device can read (choose a JPEG, PNG, HEIC or WebP image)');
  }
}

export async function compressPhoto(source: Blob | ImageBitmap, maxEdge = PHOTO_MAX_EDGE, quality = PHOTO_JPEG_QUALITY): Promise<Blob> {
  let bitmap: ImageBitmap;
  try {
    bitmap = source instanceof Blob ? await createImageBitmap(source) : source;
  } catch {
    throw new NotAnImageError();
  }
  try {
    const { width, height } = fitWithin(bitmap.width, bitmap.height, maxEdge);
    if (typeof OffscreenCanvas !== 'undefined') {
      const canvas = new OffscreenCanvas(width, height);
      const ctx = canvas.getContext('2d');
      if (!ctx) throw new Error('no 2D canvas on this device');
      ctx.drawImage(bitmap, 0, 0, width, height);
      return await canvas.convertToBlob({ type: 'image/jpeg', quality });
    }
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas on this device');
    ctx.drawImage(bitmap, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the photo could not be encoded'))), 'image/jpeg', quality),
    );
  } finally {
    if (source instanceof Blob) bitmap.close();
  }
}
