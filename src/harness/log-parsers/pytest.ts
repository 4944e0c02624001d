// pytest log parsers (SWE-bench's parse_log_pytest, _pytest_options, _pytest_v2, _matplotlib): the `-rA`
// short summary lines `STATUS test_id [- message]`.
import { type StatusMap, TEST_STATUSES, leadingStatus } from '../test-status.ts';
import { beforeFirst, pySplit } from './py-text.ts';

const SKIP_SUMMARY_COUNT = /^\[\d+\]$/;

// `SKIPPED [2] path:line: reason` is pytest's grouped skip summary; `[2]` is a count, not a test. Only SKIPPED
// is dropped: SWE-bench keeps `PASSED [100%]` because two PASS_TO_PASS lists literally expect `[100%]`.
function isSkipSummary(status: string, name: string): boolean {
  return status === 'SKIPPED' && SKIP_SUMMARY_COUNT.test(name);
}

// The shared loop of parse_log_pytest and its variants: a status-led line names its test in the second field. The
// first field is kept as the status even when it is not one of the five (`ERROR:` of `ERROR: file or directory not
// found: x` records test "file" with status "ERROR:"), exactly as SWE-bench does.
function parseStatusLines(log: string, opts: { rewrite?: (line: string) => string; name?: (raw: string) => string }): StatusMap {
  const map: StatusMap = new Map();
  for (let line of log.split('\n')) {
    if (opts.rewrite) line = opts.rewrite(line);
    if (!leadingStatus(line)) continue;
    // FAILED lines carry " - <message>"; SWE-bench blanks the dash so the message becomes later fields.
    if (line.startsWith('FAILED')) line = line.replaceAll(' - ', ' ');
    const parts = pySplit(line);
    if (parts.length <= 1) continue;
    const [status, raw] = parts as [string, string];
    if (isSkipSummary(status, raw)) continue;
    map.set(opts.name ? opts.name(raw) : raw, status);
  }
  return map;
}

/** parse_log_pytest: `STATUS test_id` lines. */
export function parsePytest(log: string): StatusMap {
  return parseStatusLines(log, {});
}

const OPTION_RE = /([^\n]*?)\[([^\n]*)\]/;

// Parametrized ids whose option is an absolute path keep only its last segment: ids like
// `test_x[/tmp/pytest-of-root/pytest-0/test_x0/file]` differ between machines.
function normaliseOption(raw: string): string {
  const m = OPTION_RE.exec(raw);
  if (!m) return raw;
  const main = m[1]!;
  let option = m[2]!;
  if (option.startsWith('/') && !option.startsWith('//') && !option.includes('*')) {
    option = `/${option.split('/').at(-1)}`;
  }
  return `${main}[${option}]`;
}

/** parse_log_pytest_options: pytest, with path-valued parametrize options reduced to their last segment. */
export function parsePytestOptions(log: string): StatusMap {
  return parseStatusLines(log, { name: normaliseOption });
}

// pytest colours its summary; SWE-bench drops "[<digits>m" and then every control character (1..31, tabs too).
const ANSI_CODE_RE = /\[\p{Nd}+m/gu;
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\x01-\x1f]/g;

/** parse_log_pytest_v2: ANSI-coloured pytest, ids may contain spaces, and `test_id STATUS` lines of old pytest. */
export function parsePytestV2(log: string): StatusMap {
  const map: StatusMap = new Map();
  for (let line of log.split('\n')) {
    line = line.replace(ANSI_CODE_RE, '').replace(CONTROL_RE, '');
    if (leadingStatus(line)) {
      // the message after " - " must not become part of the id
      if (line.startsWith('FAILED')) line = beforeFirst(line, ' - ');
      const parts = pySplit(line);
      const status = parts[0]!;
      if (parts.length >= 2 && !isSkipSummary(status, parts[1]!)) map.set(parts.slice(1).join(' '), status);
    } else if (endsWithStatus(line)) {
      // the last field ends with a status word and is kept whole (`test_x xERROR` records "xERROR"), as SWE-bench does
      const parts = pySplit(line);
      if (parts.length >= 2) map.set(parts.slice(0, -1).join(' '), parts.at(-1)!);
    }
  }
  return map;
}

function endsWithStatus(line: string): boolean {
  return TEST_STATUSES.some((s) => line.endsWith(s));
}

/** parse_log_matplotlib: pytest, with MouseButton enum reprs in ids rewritten to their values. */
export function parseMatplotlib(log: string): StatusMap {
  return parseStatusLines(log, {
    rewrite: (line) => line.replaceAll('MouseButton.LEFT', '1').replaceAll('MouseButton.RIGHT', '3'),
  });
}
