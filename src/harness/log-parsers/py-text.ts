// Python string semantics the SWE-bench parsers rely on: str.split() / str.strip() split on Python's whitespace
// set, which differs from JavaScript's \s (Python adds \x1c-\x1f and \x85; JS adds \ufeff).

/** Python's str.isspace() characters, as a regex character-class body. */
export const PY_WS = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

const SPLIT_RE = new RegExp(`[${PY_WS}]+`);
const STRIP_RE = new RegExp(`^[${PY_WS}]+|[${PY_WS}]+$`, 'g');
const LSTRIP_RE = new RegExp(`^[${PY_WS}]+`);

/** Python's `s.split()` with no separator: whitespace runs split, empty fields dropped. */
export function pySplit(s: string): string[] {
  return s.split(SPLIT_RE).filter((x) => x !== '');
}

/** Python's `s.strip()` with no argument. */
export function pyStrip(s: string): string {
  return s.replace(STRIP_RE, '');
}

/** Python's `s.lstrip()` with no argument. */
export function pyLstrip(s: string): string {
  return s.replace(LSTRIP_RE, '');
}

/** Python's `s.split(sep)[0]`: the text before the first `sep` (the whole string when absent). */
export function beforeFirst(s: string, sep: string): string {
  const i = s.indexOf(sep);
  return i < 0 ? s : s.slice(0, i);
}
