// seaborn's pytest output (SWE-bench's parse_log_seaborn): `FAILED id`, `PASSED id`, and verbose
// `id PASSED [ 10%]` lines; nothing else (skips and errors are not recorded).
import type { StatusMap } from '../test-status.ts';
import { pySplit } from './py-text.ts';

/** parse_log_seaborn. */
export function parseSeaborn(log: string): StatusMap {
  const map: StatusMap = new Map();
  for (const line of log.split('\n')) {
    const parts = pySplit(line);
    if (parts.length < 2) continue;
    if (line.startsWith('FAILED')) map.set(parts[1]!, 'FAILED');
    else if (line.includes(' PASSED ')) {
      if (parts[1] === 'PASSED') map.set(parts[0]!, 'PASSED');
    } else if (line.startsWith('PASSED')) map.set(parts[1]!, 'PASSED');
  }
  return map;
}
