// The trend data, its text sparkline and its picture.
import { describe, expect, it } from 'vitest';
import { sparkline } from '../../src/charts/sparkline.js';
import { dayRange, trendPoints } from '../../src/charts/trend.js';
import { renderTrendPng, renderTrendSvg } from '../../src/charts/render-trend-png.js';

describe('trend', () => {
  it('lists calendar days oldest first, across month ends', () => {
    expect(dayRange('2027-03-02', 4)).toEqual(['2027-02-27', '2027-02-28', '2027-03-01', '2027-03-02']);
  });

  it('sums milestones per day, weights pass rate by executed, leaves missing days as gaps', () => {
    const points = trendPoints(
      ['d1', 'd2', 'd3'],
      [
        { day: 'd1', passRate: 1, executed: 30, openBlockers: 1 },
        { day: 'd1', passRate: 0.5, executed: 10, openBlockers: 2 },
        { day: 'd3', passRate: null, executed: 0, openBlockers: 0 },
      ],
    );
    expect(points).toEqual([
      { day: 'd1', passRate: 35 / 40, openBlockers: 3 },
      { day: 'd2', passRate: null, openBlockers: null },
      { day: 'd3', passRate: null, openBlockers: 0 },
    ]);
  });

  it('draws a sparkline on a fixed scale with gaps', () => {
    expect(sparkline([0, 0.5, 1, null], { min: 0, max: 1 })).toBe('▁▅█·');
    expect(sparkline([2, 2])).toBe('██');
    expect(sparkline([null, null])).toBe('··');
  });

  it('renders a PNG with the title and the days as text in the SVG', async () => {
    const points = dayRange('2027-05-04', 14).map((day, i) => ({ day, passRate: i % 4 === 0 ? null : 0.8 + i / 100, openBlockers: i % 3 }));
    const svg = await renderTrendSvg(points, 'PAY/2.4 — trend');
    expect(svg).toContain('PAY/2.4 — trend');
    expect(svg).toContain('05-04');
    expect(svg).toContain('Pass rate');
    const png = await renderTrendPng(points, 'PAY/2.4 — trend');
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    // Width and height from the IHDR chunk: a real picture, not an empty one.
    expect(png.readUInt32BE(16)).toBeGreaterThan(400);
    expect(png.readUInt32BE(20)).toBeGreaterThan(150);
  });
});
