import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_LONG_EDGE, clampRect, fitLongEdge, guidedFrame, labelAroundBarcode, type Rect, type Size } from './label-crop';

const inside = (r: Rect, f: Size) =>
  r.x >= 0 && r.y >= 0 && r.width >= 1 && r.height >= 1 && r.x + r.width <= f.width && r.y + r.height <= f.height;
const contains = (outer: Rect, inner: Rect) =>
  outer.x <= inner.x &&
  outer.y <= inner.y &&
  outer.x + outer.width >= inner.x + inner.width &&
  outer.y + outer.height >= inner.y + inner.height;

const frameArb = fc.record({ width: fc.integer({ min: 16, max: 5000 }), height: fc.integer({ min: 16, max: 5000 }) });
/** A barcode box lying inside the frame. */
const inFrame = frameArb.chain((frame) =>
  fc
    .record({
      x: fc.integer({ min: 0, max: frame.width - 2 }),
      y: fc.integer({ min: 0, max: frame.height - 2 }),
    })
    .chain(({ x, y }) =>
      fc
        .record({ width: fc.integer({ min: 1, max: frame.width - x }), height: fc.integer({ min: 1, max: frame.height - y }) })
        .map((s) => ({
          frame,
          barcode: { x, y, ...s },
        })),
    ),
);

describe('label crop', () => {
  it('takes the label above and around a barcode, more above (the addresses) than below', () => {
    // A 1920×1080 frame, a 600×90 barcode low in the middle.
    const r = labelAroundBarcode({ x: 660, y: 800, width: 600, height: 90 }, { width: 1920, height: 1080 });
    expect(r).toEqual({ x: 510, y: 0, width: 900, height: 1080 });
    const small = labelAroundBarcode({ x: 900, y: 600, width: 200, height: 40 }, { width: 1920, height: 1080 });
    expect(small).toEqual({ x: 850, y: 260, width: 300, height: 470 });
  });

  it('a sideways barcode reaches sideways', () => {
    const r = labelAroundBarcode({ x: 1000, y: 300, width: 40, height: 200 }, { width: 1920, height: 1080 });
    expect(r).toEqual({ x: 910, y: 250, width: 470, height: 300 });
  });

  it('always lies in the picture and holds the whole barcode', () => {
    fc.assert(
      fc.property(inFrame, ({ frame, barcode }) => {
        const r = labelAroundBarcode(barcode, frame);
        expect(inside(r, frame)).toBe(true);
        expect(contains(r, barcode)).toBe(true);
      }),
    );
  });

  it('clamps any box, even one outside the picture, to a non-empty one inside', () => {
    fc.assert(
      fc.property(
        frameArb,
        fc.record({
          x: fc.double({ min: -1e4, max: 1e4, noNaN: true }),
          y: fc.double({ min: -1e4, max: 1e4, noNaN: true }),
          width: fc.double({ min: -10, max: 1e4, noNaN: true }),
          height: fc.double({ min: -10, max: 1e4, noNaN: true }),
        }),
        (frame, r) => {
          expect(inside(clampRect(r, frame), frame)).toBe(true);
        },
      ),
    );
  });

  it('maps the guided frame through object-fit: cover', () => {
    // A 1920×1080 video in a 800×450 view: same shape, plain scaling.
    expect(guidedFrame({ width: 1920, height: 1080 }, { width: 800, height: 450 }, { x: 0.1, y: 0.18 })).toEqual({
      x: 192,
      y: 194,
      width: 1536,
      height: 692,
    });
    // A 4:3 video in a 16:9 view: the video's top and bottom are cut off, so the frame sits in its middle rows.
    const r = guidedFrame({ width: 1600, height: 1200 }, { width: 1600, height: 900 }, { x: 0.1, y: 0.18 });
    expect(r).toEqual({ x: 160, y: 312, width: 1280, height: 576 });
  });

  it('shrinks to a long edge of at most 1,568 px, keeping the shape, never enlarging', () => {
    expect(fitLongEdge({ width: 3000, height: 2000 })).toEqual({ width: 1568, height: 1045 });
    expect(fitLongEdge({ width: 900, height: 1080 })).toEqual({ width: 900, height: 1080 });
    fc.assert(
      fc.property(frameArb, (s) => {
        const out = fitLongEdge(s);
        expect(Math.max(out.width, out.height)).toBeLessThanOrEqual(MAX_LONG_EDGE);
        expect(out.width).toBeLessThanOrEqual(s.width);
        expect(out.height).toBeLessThanOrEqual(s.height);
        if (Math.max(s.width, s.height) > MAX_LONG_EDGE) {
          expect(Math.max(out.width, out.height)).toBe(MAX_LONG_EDGE);
          expect(Math.abs(out.width / out.height - s.width / s.height)).toBeLessThan(
            (s.width / s.height) * (1 / out.width + 1 / out.height),
          );
        }
      }),
    );
  });
});
