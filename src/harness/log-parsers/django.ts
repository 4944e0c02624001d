// Django's runtests.py verbose output (SWE-bench's parse_log_django): `test_x (module.Class) ... ok|FAIL|ERROR|
// skipped '...'`, `FAIL: test_x (module.Class)` headers, and results pushed to the next line by stray prints.
import type { StatusMap } from '../test-status.ts';
import { PY_WS, beforeFirst, pyLstrip, pySplit, pyStrip } from './py-text.ts';

const PASS_SUFFIXES = [' ... ok', ' ... OK', ' ...  OK'];
// django__django-7188 prints a migration line and the test name on one line.
const MIGRATION_PREFIX = 'Applying sites.0002_alter_domain_unique...test_no_migrations';

// Python re.MULTILINE patterns translated exactly: `^`/`$` at line boundaries ("\n" only), `.` excludes "\n"
// only, `\s` is Python's whitespace set.
const S = `[${PY_WS}]`;
const BOL = '(?<![^\\n])';
const EOL = '(?![^\\n])';
const INTERRUPTED_PATTERNS = [
  `${BOL}([^\\n]*?)${S}\\.\\.\\.${S}Testing against Django installed in ([\\s\\S]*?) silenced\\)\\.\\nok${EOL}`,
  `${BOL}([^\\n]*?)${S}\\.\\.\\.${S}Internal Server Error: \\/([^\\n]*)\\/\\nok${EOL}`,
  `${BOL}([^\\n]*?)${S}\\.\\.\\.${S}System check identified no issues \\(0 silenced\\)\\nok${EOL}`,
].map((p) => new RegExp(p, 'g'));

/** parse_log_django. */
export function parseDjango(log: string): StatusMap {
  const map: StatusMap = new Map();
  let prevTest: string | undefined;
  for (const rawLine of log.split('\n')) {
    let line = pyStrip(rawLine);
    // this help text spans lines in test_runner's output; SWE-bench records it as a pass
    if (line.includes('--version is equivalent to version')) map.set('--version is equivalent to version', 'PASSED');
    if (line.includes(' ... ')) prevTest = beforeFirst(line, ' ... ');
    for (const suffix of PASS_SUFFIXES) {
      if (!line.endsWith(suffix)) continue;
      if (pyStrip(line).startsWith(MIGRATION_PREFIX)) {
        const i = line.indexOf('...');
        line = pyStrip(line.slice(i + 3));
      }
      const at = line.lastIndexOf(suffix);
      map.set(at < 0 ? line : line.slice(0, at), 'PASSED');
      break;
    }
    if (line.includes(' ... skipped')) map.set(beforeFirst(line, ' ... skipped'), 'SKIPPED');
    if (line.endsWith(' ... FAIL')) map.set(beforeFirst(line, ' ... FAIL'), 'FAILED');
    if (line.startsWith('FAIL:')) {
      // SWE-bench indexes split()[1] unguarded (a bare "FAIL:" would crash it); we skip that line instead
      const name = pySplit(line)[1];
      if (name !== undefined) map.set(pyStrip(name), 'FAILED');
    }
    if (line.endsWith(' ... ERROR')) map.set(beforeFirst(line, ' ... ERROR'), 'ERROR');
    if (line.startsWith('ERROR:')) {
      const name = pySplit(line)[1];
      if (name !== undefined) map.set(pyStrip(name), 'ERROR');
    }
    // "test_x ... <output on several lines>" then a lone "ok": the pass belongs to the last test seen
    if (pyLstrip(line).startsWith('ok') && prevTest !== undefined) map.set(prevTest, 'PASSED');
  }
  for (const re of INTERRUPTED_PATTERNS) {
    re.lastIndex = 0;
    for (const m of log.matchAll(re)) map.set(m[1]!, 'PASSED');
  }
  return map;
}
