// sympy's bin/test --verbose output (SWE-bench's parse_log_sympy): `test_x ok|F|E` lines, plus the
// `____ path.py:test_x ____` headers of the failure report.
import type { StatusMap } from '../test-status.ts';
import { pySplit, pyStrip } from './py-text.ts';

// Python's `(_*) (.*)\.py:(.*) (_*)` with `.` as "anything but \n".
const FAILURE_HEADER_RE = /(_*) ([^\n]*)\.py:([^\n]*) (_*)/g;

/** parse_log_sympy. */
export function parseSympy(log: string): StatusMap {
  const map: StatusMap = new Map();
  for (const m of log.matchAll(FAILURE_HEADER_RE)) map.set(`${m[2]}.py:${m[3]}`, 'FAILED');
  for (const raw of log.split('\n')) {
    const line = pyStrip(raw);
    if (!line.startsWith('test_')) continue;
    const name = pySplit(line)[0]!;
    if (line.endsWith(' E')) map.set(name, 'ERROR');
    if (line.endsWith(' F')) map.set(name, 'FAILED');
    if (line.endsWith(' ok')) map.set(name, 'PASSED');
  }
  return map;
}
