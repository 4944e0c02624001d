import { describe, expect, it } from 'vitest';
import type { RunModel } from '../../src/report/model.ts';
import { renderPage } from '../../src/report/render/page.ts';
import { analyseThoughts } from '../../src/report/think.ts';

const evalRun: RunModel = {
  name: 'eval <"&">',
  path: '/runs/eval',
  summary: [['kind', 'harness eval run']],
  body: {
    kind: 'eval',
    resolveRate: 0.5,
    total: 2,
    resolved: 1,
    perRepo: [{ repo: 'a/x', resolved: 1, total: 2 }],
    infraFailures: { timeout: 1 },
    instances: [{ id: 'a__x-1', repo: 'a/x', verdict: 'error', errorClass: '<timeout>', links: [{ label: 'test_output.txt', path: '/runs/eval/a__x-1/test output.txt' }] }],
  },
  thoughts: { none: 'no replies' },
};
const trainRun = (name: string): RunModel => ({
  name,
  path: `/runs/${name}`,
  summary: [['kind', 'training run (srl)']],
  body: { kind: 'training', mode: 'srl', steps: [0, 1, 2], metrics: { reward_mean: [null, 0.1, 0.3], val_reward: [0, null, 0.2], kl: [null, 0.01, 0.02] }, skipped: 0 },
  thoughts: { none: 'metrics only' },
});
const agentRun: RunModel = {
  name: 'agent',
  path: '/runs/agent',
  summary: [['kind', 'agent evaluation']],
  body: { kind: 'evaluation', mode: 'agent', numbers: { resolve_rate: 0 }, rows: [] },
  thoughts: { source: 'steps', stats: analyseThoughts(['First <b>look</b>, then check.']) },
};

describe('renderPage', () => {
  const html = renderPage([evalRun, trainRun('srl'), trainRun('sft'), agentRun], { pageDir: '/runs' });

  it('escapes names and error classes, and links files relative to the page', () => {
    expect(html).not.toContain('eval <"&">');
    expect(html).toContain('eval &lt;&quot;&amp;&quot;&gt;');
    expect(html).toContain('&lt;timeout&gt;');
    expect(html).toContain('href="eval/a__x-1/test%20output.txt"');
  });

  it('overlays the training runs on shared charts, one legend entry per run and split', () => {
    const training = html.slice(html.indexOf('<section id="training">'), html.indexOf('</section>', html.indexOf('<section id="training">')));
    expect(training).toContain('>srl train<');
    expect(training).toContain('>sft val<');
    expect(training.match(/<svg /g)).toHaveLength(2);
  });

  it('has an overview, a summary per run and the reasoning section, and fetches nothing', () => {
    expect(html.match(/<table class="summary">/g)).toHaveLength(4);
    expect(html).toContain('id="overview"');
    expect(html).toContain('id="reasoning"');
    expect(html).not.toMatch(/<(script|link|img)\b/);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });
});
