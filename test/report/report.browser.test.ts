// The report end to end: made by the CLI from run folders written by the real commands (fixtures, plus an SRL
// dataset built here), opened from disk in headless Chromium with every network request sent to a dead proxy;
// the rendered DOM must hold the charts, the tables and every run's name. A screenshot is left next to the page.
import { execFileSync } from 'node:child_process';
import { cp, readFile } from 'node:fs/promises';
import { copyFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { capture } from '../helpers/console.ts';
import { tempDir } from '../helpers/tmp.ts';

const FIX = join(import.meta.dirname, '..', 'fixtures');
const CHROMIUM = ['chromium', 'chromium-browser', 'google-chrome'].find((c) => {
  try {
    execFileSync('which', [c], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
});
if (!CHROMIUM) console.log('report.browser.test: skipped, no chromium on PATH (scripts/setup.sh installs it)');

function chromium(args: string[], profile: string): string {
  return execFileSync(
    CHROMIUM!,
    ['--headless', '--disable-gpu', '--no-sandbox', '--no-first-run', `--user-data-dir=${profile}`, '--proxy-server=127.0.0.1:9', '--proxy-bypass-list=<-loopback>', ...args],
    { encoding: 'utf8', timeout: 90_000, maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] },
  );
}

describe.skipIf(!CHROMIUM)('swe-srl report in a browser', () => {
  it('renders charts, tables and every run, offline', { timeout: 180_000 }, async () => {
    const dir = await tempDir('report-browser');
    for (const run of ['eval-gold', 'eval-empty', 'replay', 'train-srl', 'train-sft']) await cp(join(FIX, 'report', run), join(dir, 'runs', run), { recursive: true });
    await cp(join(FIX, 'trajectories'), join(dir, 'runs', 'experts'), { recursive: true });
    capture();
    expect(await main(['srl', 'build', '--trajectories', join(dir, 'runs', 'experts'), '--out', join(dir, 'runs', 'srl', 'steps.jsonl')])).toBe(0);
    const names = ['eval-gold', 'eval-empty', 'replay', 'train-srl', 'train-sft', 'experts', 'srl'];
    const page = join(dir, 'report.html');
    expect(await main(['report', ...names.map((n) => join(dir, 'runs', n)), '--out', page])).toBe(0);
    expect((await readFile(page, 'utf8')).length).toBeGreaterThan(10_000);

    const dom = chromium(['--dump-dom', pathToFileURL(page).href], join(dir, 'profile'));
    expect(dom).toContain('<h1>swe-srl report</h1>');
    const svgs = dom.match(/<svg\b/g)?.length ?? 0;
    const tables = dom.match(/<table\b/g)?.length ?? 0;
    expect(svgs).toBeGreaterThanOrEqual(15);
    expect(tables).toBeGreaterThanOrEqual(names.length + 4);
    for (const n of names) expect(dom).toContain(`<h2>${n}</h2>`);
    expect(dom).toContain('href="runs/eval-gold/swe-srl__textkit-1/test_output.txt"');
    expect(dom).toContain('>train-srl train<');
    expect(dom).toContain('>train-sft val<');
    expect(dom).toContain('id="reasoning"');

    const shot = join(dir, 'report.png');
    chromium([`--screenshot=${shot}`, '--window-size=1400,3000', '--hide-scrollbars', pathToFileURL(page).href], join(dir, 'profile'));
    expect(statSync(shot).size).toBeGreaterThan(20_000);
    // The temp folder goes when the tests end; a copy stays for a person to look at.
    const keep = join(tmpdir(), 'swe-srl-report-screenshot.png');
    copyFileSync(shot, keep);
    process.stdout.write(`report screenshot: ${keep}\n`);
    expect(existsSync(keep)).toBe(true);
  });
});
