// Taking the label crop from the camera's video (issue 12): the label around the barcode the device
// read, or the guided frame when none was read, drawn onto a canvas at most 1,568 px on its long
// edge and encoded as JPEG. Only this crop ever leaves the device (privacy policy, AI processing).
import { CROP_JPEG_QUALITY, fitLongEdge, guidedFrame, labelAroundBarcode, type Rect } from '../../domain/label-crop';

/** The guided frame's inset in the camera view (CameraScanner's `.frame`: inset 18% 10%). */
export const GUIDE_INSET = { x: 0.1, y: 0.18 } as const;

export interface LabelCapture {
  crop: Blob;
  /** How the region was found. */
  from: 'barcode' | 'frame';
  width: number;
  height: number;
}

/** Crops the video's current frame around `barcode` (video pixels) or to the guided frame. */
export async function captureLabel(video: HTMLVideoElement, barcode: Rect | null): Promise<LabelCapture> {
  const frame = { width: video.videoWidth, height: video.videoHeight };
  if (!frame.width || !frame.height) throw new Error('The camera has no picture yet');
  const region = barcode
    ? labelAroundBarcode(barcode, frame)
    : guidedFrame(frame, { width: video.clientWidth || frame.width, height: video.clientHeight || frame.height }, GUIDE_INSET);
  const size = fitLongEdge(region);
  const canvas = document.createElement('canvas');
  canvas.width = size.width;
  canvas.height = size.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('This browser cannot draw the label');
  ctx.drawImage(video, region.x, region.y, region.width, region.height, 0, 0, size.width, size.height);
  const crop = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', CROP_JPEG_QUALITY));
  if (!crop) throw new Error('The label picture could not be made');
  return { crop, from: barcode ? 'barcode' : 'frame', ...size };
}
