// The whole page: an overview table of the runs, each run's summary and section, the shared training charts and
// the reasoning analysis. Self-contained: inline CSS and SVG, nothing fetched.
import { esc } from '../escape.ts';
import type { RunModel } from '../model.ts';
import { keyValues, runBody } from './runs.ts';
import { thoughtsSection } from './thoughts.ts';
import { trainingSection } from './training.ts';
import { table } from './html.ts';

export const REPORT_FORMAT_VERSION = 1;

const CSS = `body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1500px}
h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:32px}h3{font-size:15px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f5f5f5}table.summary th{width:200px}.charts{display:flex;flex-wrap:wrap;gap:12px;margin:8px 0}
svg.chart{border:1px solid #eee}.note{color:#666;font-size:13px}code{background:#f5f5f5;padding:0 3px}`;

/** The HTML page; `pageDir` is the folder the page is written to (links are relative to it). */
export function renderPage(runs: readonly RunModel[], o: { pageDir: string; title?: string; generated?: string }): string {
  const title = o.title ?? 'swe-srl report';
  const overview = table({
    head: ['run', 'kind', 'path', 'headline'],
    rows: runs.map((r) => [{ html: `<a href="#run-${runs.indexOf(r)}">${esc(r.name)}</a>` }, r.summary[0]?.[1] ?? r.body.kind, r.path, r.summary.slice(1, 3).map(([k, v]) => `${k}: ${v}`).join('; ')]),
    cls: 'data overview',
  });
  const sections = runs.map(
    (r, i) => `<section class="run" id="run-${i}" data-kind="${esc(r.body.kind)}"><h2>${esc(r.name)}</h2><p class="note"><code>${esc(r.path)}</code></p>${keyValues(r.summary)}${runBody(r, o.pageDir)}</section>`,
  );
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="generator" content="swe-srl report v${REPORT_FORMAT_VERSION}">
<title>${esc(title)}</title><style>${CSS}</style></head>
<body><h1>${esc(title)}</h1>${o.generated ? `<p class="note">generated ${esc(o.generated)}</p>` : ''}
<section id="overview"><h2>Runs</h2>${overview}</section>
${trainingSection(runs)}
${sections.join('\n')}
${thoughtsSection(runs)}
</body></html>
`;
}
