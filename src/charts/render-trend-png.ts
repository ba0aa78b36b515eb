// The digest's trend picture: pass rate (line, 0–100%) and open blockers (bars)
// per day, as a PNG made in-process: Vega-Lite compiles the chart, Vega renders
// it to SVG headless (no browser, no canvas), resvg turns the SVG into pixels
// with the DejaVu font found on the machine (or resvg's own fallback).
import { existsSync } from 'node:fs';
import type * as Vega from 'vega';
import type { Resvg as ResvgClass } from '@resvg/resvg-js';
import type { TopLevelSpec } from 'vega-lite';
import type { TrendPoint } from './trend.js';

const FONT_FILES = ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/TTF/DejaVuSans.ttf'];
const FONT = 'DejaVu Sans';

// The chart's shape never changes, only its data: compile and parse it once
// per process (a pure constant, not state), so each picture costs one render.
// Vega, Vega-Lite and resvg are loaded on the first picture, not at start: they
// weigh tens of MB that a process drawing no chart (an upload, a CLI command)
// should not carry.
let libraries: Promise<{ vega: typeof Vega; runtime: Vega.Runtime; Resvg: typeof ResvgClass }> | undefined;

function loadLibraries() {
  libraries ??= (async () => {
    const [vega, vegaLite, resvg] = await Promise.all([import('vega'), import('vega-lite'), import('@resvg/resvg-js')]);
    return { vega, runtime: vega.parse(vegaLite.compile(chartSpec()).spec), Resvg: resvg.Resvg };
  })();
  return libraries;
}

/**
 * Loads the chart libraries now rather than on the first picture: for a server
 * that serves readiness pages, so the first page opened does not wait for them.
 */
export async function preloadTrendCharts(): Promise<void> {
  await loadLibraries();
}

function chartSpec(): TopLevelSpec {
  return {
    width: 560,
    height: 200,
    background: 'white',
    padding: 12,
    title: { text: { signal: 'title' } as unknown as string, anchor: 'start', fontSize: 14 },
    params: [{ name: 'title', value: '' }],
    data: { name: 'points' },
    encoding: { x: { field: 'label', type: 'ordinal', sort: null, title: null, axis: { labelAngle: 0 } } },
    layer: [
      {
        mark: { type: 'bar', color: '#e45756', opacity: 0.55 },
        encoding: {
          y: { field: 'openBlockers', type: 'quantitative', title: 'Open blockers', axis: { tickMinStep: 1, titleColor: '#c0392b' } },
        },
      },
      {
        transform: [{ filter: 'datum.passRate !== null' }],
        mark: { type: 'line', point: true, color: '#4c78a8', strokeWidth: 2 },
        encoding: {
          y: {
            field: 'passRate',
            type: 'quantitative',
            title: 'Pass rate',
            scale: { domain: [0, 1] },
            axis: { format: '%', titleColor: '#4c78a8' },
          },
        },
      },
    ],
    resolve: { scale: { y: 'independent' } },
    config: { font: FONT, view: { stroke: null } },
  };
}

/** The chart as SVG text: deterministic for the same points and title. */
export async function renderTrendSvg(points: TrendPoint[], title: string): Promise<string> {
  const values = points.map((p) => ({ label: p.day.slice(5), passRate: p.passRate, openBlockers: p.openBlockers ?? 0 }));
  const { vega, runtime } = await loadLibraries();
  const view = new vega.View(runtime, { renderer: 'none' });
  try {
    view.signal('title', title);
    view.data('points', values);
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export async function renderTrendPng(points: TrendPoint[], title: string): Promise<Buffer> {
  const svg = await renderTrendSvg(points, title);
  const { Resvg } = await loadLibraries();
  const fontFiles = FONT_FILES.filter((f) => existsSync(f));
  const resvg = new Resvg(svg, {
    font: { fontFiles, loadSystemFonts: fontFiles.length === 0, defaultFontFamily: FONT },
    fitTo: { mode: 'original' },
  });
  return resvg.render().asPng();
}
