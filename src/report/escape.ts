// HTML escaping for text and attribute values: task text, logs and run names hold <, &, and quotes.

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe inside an element or a quoted attribute (HTML and inline SVG alike). */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** A relative file path as an href: each segment percent-encoded, POSIX separators. */
export function hrefOf(relPath: string): string {
  return relPath.split(/[\\/]/).map(encodeURIComponent).join('/');
}
