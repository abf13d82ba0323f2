import { describe, expect, it } from 'vitest';
import { fitWithin } from './intake-photo';

describe('fitWithin', () => {
  it('shrinks the long edge to 1,600 px, keeping the aspect ratio, landscape or portrait', () => {
    expect(fitWithin(4000, 3000)).toEqual({ width: 1600, height: 1200 });
    expect(fitWithin(3024, 4032)).toEqual({ width: 1200, height: 1600 });
  });
  it('never enlarges a small image', () => {
    expect(fitWithin(640, 480)).toEqual({ width: 640, height: 480 });
  });
  it('keeps at least one pixel of a very thin image, and refuses no size at all', () => {
    expect(fitWithin(10000, 2)).toEqual({ width: 1600, height: 1 });
    expect(() => fitWithin(0, 10)).toThrow(/not an image size/);
  });
});
