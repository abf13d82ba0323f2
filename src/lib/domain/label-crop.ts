// Which part of the camera picture is sent to be read (issue 12, privacy policy: only the minimum
// data): the label around the barcode the device read, or the guided frame drawn over the picture
// when no barcode was seen, shrunk so its long edge is at most 1,568 px (the size Claude reads
// without scaling it down itself). Pure geometry; the page draws the rectangle onto a canvas.

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface Size {
  width: number;
  height: number;
}

/** The long edge a label crop is shrunk to, at most. */
export const MAX_LONG_EDGE = 1568;
/** JPEG quality of the crop: text stays sharp, a crop stays well under the route's 2 MiB. */
export const CROP_JPEG_QUALITY = 0.85;

/**
 * How far a shipping label reaches around its tracking barcode, in barcode widths. A 4×6″ label's
 * tracking barcode spans most of its width; the addresses (recipient, sender) sit above it, the
 * carrier's service band above those. So: a little wider than the barcode, much taller above it.
 */
const REACH = { side: 0.25, above: 1.7, below: 0.45 } as const;

/** A rectangle cut to the picture, on whole pixels, never empty. */
export function clampRect(r: Rect, frame: Size): Rect {
  const x0 = Math.max(0, Math.min(frame.width - 1, Math.floor(r.x)));
  const y0 = Math.max(0, Math.min(frame.height - 1, Math.floor(r.y)));
  const x1 = Math.max(x0 + 1, Math.min(frame.width, Math.ceil(r.x + r.width)));
  const y1 = Math.max(y0 + 1, Math.min(frame.height, Math.ceil(r.y + r.height)));
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** The label around a barcode's bounding box (as the Barcode Detection API reports it). */
export function labelAroundBarcode(barcode: Rect, frame: Size): Rect {
  // A barcode filmed sideways is taller than wide: its "width" is then its long side.
  const w = Math.max(barcode.width, barcode.height);
  const sideways = barcode.height > barcode.width;
  const r = sideways
    ? {
        x: barcode.x - REACH.below * w,
        y: barcode.y - REACH.side * w,
        width: barcode.width + (REACH.above + REACH.below) * w,
        height: barcode.height + 2 * REACH.side * w,
      }
    : {
        x: barcode.x - REACH.side * w,
        y: barcode.y - REACH.above * w,
        width: barcode.width + 2 * REACH.side * w,
        height: barcode.height + (REACH.above + REACH.below) * w,
      };
  return clampRect(r, frame);
}

/**
 * The guided frame (a box inset by fractions of the on-screen view) in the video's own pixels.
 * The video fills the view with `object-fit: cover`: scaled up until both sides are covered, the
 * overflow cut evenly on both sides.
 */
export function guidedFrame(video: Size, view: Size, inset: { x: number; y: number }): Rect {
  const scale = Math.max(view.width / video.width, view.height / video.height);
  const offX = (video.width * scale - view.width) / 2;
  const offY = (video.height * scale - view.height) / 2;
  const toVideo = (vx: number, vy: number) => ({ x: (vx + offX) / scale, y: (vy + offY) / scale });
  const a = toVideo(view.width * inset.x, view.height * inset.y);
  const b = toVideo(view.width * (1 - inset.x), view.height * (1 - inset.y));
  return clampRect({ x: a.x, y: a.y, width: b.x - a.x, height: b.y - a.y }, video);
}

/** The size a crop is drawn at: shrunk (never enlarged) so its long edge is at most `max`. */
export function fitLongEdge(size: Size, max = MAX_LONG_EDGE): Size {
  const long = Math.max(size.width, size.height);
  if (long <= max) return { width: size.width, height: size.height };
  const k = max / long;
  return {
    width: Math.max(1, Math.min(max, Math.round(size.width * k))),
    height: Math.max(1, Math.min(max, Math.round(size.height * k))),
  };
}
