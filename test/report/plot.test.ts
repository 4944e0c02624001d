import { describe, expect, it } from 'vitest';
import { barChart, histogram, histogramBins } from '../../src/report/plot/bar-chart.ts';
import { lineChart } from '../../src/report/plot/line-chart.ts';
import { formatTick, linearScale, niceTicks } from '../../src/report/plot/scale.ts';
import { esc } from '../../src/report/escape.ts';

describe('scales', () => {
  it('puts ticks at 1, 2, 5 times a power of ten', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 97, 5)).toEqual([0, 20, 40, 60, 80]);
    expect(niceTicks(3, 3)).toEqual([3]);
  });
  it('widens the domain to whole ticks and maps it onto the range', () => {
    const s = linearScale({ values: [0.13, 0.91], range: [100, 0] });
    expect(s.domain).toEqual([0, 1]);
    expect(s(0)).toBe(100);
    expect(s(1)).toBe(0);
  });
  it('widens a flat or empty extent', () => {
    expect(linearScale({ values: [2, 2], range: [0, 1] }).domain[0]).toBeLessThan(2);
    expect(linearScale({ values: [], range: [0, 1] }).domain).toEqual([0, 1]);
  });
  it('formats ticks compactly', () => {
    expect([formatTick(0), formatTick(3), formatTick(0.30000000000000004), formatTick(250000)]).toEqual(['0', '3', '0.3', '2.5e+5']);
  });
});

describe('histogramBins', () => {
  it('splits the range into equal bins, the last one closed', () => {
    expect(histogramBins([0, 1, 2, 3, 4], 2)).toEqual([
      { lo: 0, hi: 2, count: 2 },
      { lo: 2, hi: 4, count: 3 },
    ]);
  });
  it('gives one bin for equal values and none for no values', () => {
    expect(histogramBins([5, 5, 5])).toEqual([{ lo: 5, hi: 5, count: 3 }]);
    expect(histogramBins([])).toEqual([]);
  });
});

describe('charts', () => {
  it('draws one path per series with data, a legend naming each, and skips nulls', () => {
    const svg = lineChart({ title: 'reward', series: [{ name: 'srl', points: [[1, 0.1], [2, null], [3, 0.5]] }, { name: 'sft', points: [[1, 0.2], [3, 0.3]] }] });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg.match(/<circle /g)).toHaveLength(4);
    expect(svg).toContain('>srl<');
    expect(svg).toContain('class="y-axis"');
    expect(svg).toContain('class="x-axis"');
  });
  it('says "no data" instead of drawing empty axes', () => {
    expect(lineChart({ title: 't', series: [{ name: 'a', points: [[1, null]] }] })).toContain('no data');
    expect(barChart({ title: 't', bars: [] })).toContain('no data');
  });
  it('escapes labels and titles', () => {
    const svg = barChart({ title: 'a<b & "c"', bars: [{ label: '<script>', value: 1 }] });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
    expect(svg).toContain('a&lt;b &amp; &quot;c&quot;');
  });
  it('draws a bar per histogram bin', () => {
    expect(histogram({ title: 'h', values: [1, 2, 3, 10], bins: 3 }).match(/<g class="bar">/g)).toHaveLength(3);
  });
  it('escapes all five special characters', () => {
    expect(esc(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});

describe('scales of rates', () => {
  it('shows all-zero rates on [0, 1] when zero is kept in range', () => {
    expect(linearScale({ values: [0, 0], range: [0, 1], zero: true }).domain).toEqual([0, 1]);
  });
});
