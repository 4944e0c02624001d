// Which Debian base (and so which Python) an env image starts from. SWE-bench pins a Python per repo/version; we
// build bases for the Debian lines the mirror serves and pick the nearest one, unless a spec pins a line itself.
import { SweSrlError } from '../util/errors.ts';

/** The Debian lines a base image can be built from, with the Python each ships. */
export const BASE_LINES = { bullseye: '3.9', bookworm: '3.11', trixie: '3.13' } as const;
export type BaseLine = keyof typeof BASE_LINES;
export const BASE_LINE_NAMES = Object.keys(BASE_LINES) as BaseLine[];
/** The line for repositories SWE-bench does not know (bundled tasks, other datasets). */
export const DEFAULT_BASE_LINE: BaseLine = 'bookworm';

/**
 * SWE-bench's Python per repo and version (its harness `MAP_REPO_VERSION_TO_SPECS_PY[repo][version].python`),
 * written down by us for every repo/version that its Lite and Verified rows use.
 */
export const SWEBENCH_PYTHON: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'astropy/astropy': { '1.3': '3.6', '3.1': '3.9', '4.3': '3.9', '5.0': '3.9', '5.1': '3.9', '5.2': '3.9' },
  'django/django': {
    '1.11': '3.5', '2.2': '3.5', '3.0': '3.6', '3.1': '3.6', '3.2': '3.6', '4.0': '3.8', '4.1': '3.9', '4.2': '3.9',
    '5.0': '3.11',
  },
  'matplotlib/matplotlib': { '3.0': '3.7', '3.1': '3.8', '3.3': '3.8', '3.4': '3.8', '3.5': '3.11', '3.6': '3.11', '3.7': '3.11' },
  'mwaskom/seaborn': { '0.12': '3.9', '0.13': '3.9' },
  'pallets/flask': { '2.0': '3.9', '2.3': '3.11' },
  'psf/requests': Object.fromEntries(['0.14', '1.1', '2.0', '2.3', '2.4', '2.7', '2.9', '2.10', '2.26', '2.27'].map((v) => [v, '3.9'])),
  'pydata/xarray': { '0.12': '3.10', '2022.03': '3.10', '2022.06': '3.10', '2022.09': '3.10' },
  'pylint-dev/pylint': Object.fromEntries(['2.9', '2.10', '2.13', '2.14', '2.15', '3.0'].map((v) => [v, '3.9'])),
  'pytest-dev/pytest': Object.fromEntries(
    ['4.4', '4.5', '4.6', '5.0', '5.1', '5.2', '5.4', '6.0', '6.2', '6.3', '7.0', '7.2', '8.0'].map((v) => [v, '3.9']),
  ),
  'scikit-learn/scikit-learn': { '0.20': '3.6', '0.21': '3.6', '0.22': '3.6', '1.3': '3.9' },
  'sphinx-doc/sphinx': Object.fromEntries(
    ['3.0', '3.1', '3.2', '3.3', '3.4', '3.5', '4.0', '4.1', '4.2', '4.3', '5.0', '5.1', '5.2', '7.1', '7.2'].map((v) => [v, '3.9']),
  ),
  'sympy/sympy': Object.fromEntries(
    ['1.0', '1.1', '1.2', '1.4', '1.5', '1.6', '1.7', '1.8', '1.9', '1.10', '1.11', '1.12', '1.13'].map((v) => [v, '3.9']),
  ),
};

/** How a spec chose its base: the line, the Python SWE-bench wants (when known) and why. */
export interface BaseChoice {
  line: BaseLine;
  /** The Python the line ships ("3.9"); the exact interpreter version is a label of the built base image. */
  python: string;
  swebenchPython?: string;
  reason: 'pinned' | 'exact' | 'nearest' | 'default';
}

function minor(v: string): number {
  const m = /^3\.(\d+)$/.exec(v);
  if (!m) {
    throw new SweSrlError({ code: 'bad_python_version', message: `not a Python 3 minor version: ${JSON.stringify(v)}`, fault: 'user', value: v, hint: 'Write it as "3.N".' });
  }
  return Number(m[1]);
}

/**
 * The line whose Python is nearest to `python`. A tie goes to the newer line: code written for 3.10 may use
 * syntax 3.9 lacks, while 3.11 mostly only adds.
 */
export function nearestLine(python: string): BaseLine {
  const want = minor(python);
  let best: BaseLine = DEFAULT_BASE_LINE;
  let bestDist = Infinity;
  for (const line of BASE_LINE_NAMES) {
    const have = minor(BASE_LINES[line]);
    const dist = Math.abs(have - want);
    if (dist < bestDist || (dist === bestDist && have > minor(BASE_LINES[best]))) [best, bestDist] = [line, dist];
  }
  return best;
}

/** Picks the base of (repo, version): the pinned line, else the nearest to SWE-bench's Python, else the default. */
export function chooseBase(o: { repo: string; version: string; pinned?: BaseLine | 'auto' }): BaseChoice {
  const swebenchPython = SWEBENCH_PYTHON[o.repo]?.[o.version];
  const known = swebenchPython === undefined ? {} : { swebenchPython };
  if (o.pinned && o.pinned !== 'auto') return { line: o.pinned, python: BASE_LINES[o.pinned], ...known, reason: 'pinned' };
  if (swebenchPython === undefined) return { line: DEFAULT_BASE_LINE, python: BASE_LINES[DEFAULT_BASE_LINE], reason: 'default' };
  const line = nearestLine(swebenchPython);
  return { line, python: BASE_LINES[line], swebenchPython, reason: BASE_LINES[line] === swebenchPython ? 'exact' : 'nearest' };
}

/** The base image tag of a line. */
export function baseImageTag(line: BaseLine): string {
  return `swe-srl-base:${line}`;
}
