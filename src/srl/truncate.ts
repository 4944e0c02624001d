// Head+tail truncation for long texts in prompts: the start of a tool output says what ran, the end says how it
// ended (the error, the test summary), so the middle is what goes, with a note saying how much was cut.

/** The marker left where text was cut; `n` is the number of characters removed. */
export function cutNote(n: number): string {
  return `\n[... ${n} characters cut ...]\n`;
}

/**
 * Keeps the head and tail of `text` so that the result is at most `max` characters, note included; text that fits
 * is returned unchanged. Cuts snap to line breaks when one is near, so lines are not split in the middle.
 */
export function truncateMiddle(text: string, max: number): { text: string; cut: number } {
  if (text.length <= max) return { text, cut: 0 };
  // Reserve room for the longest note this text can need (cut <= text.length), so the result never exceeds max.
  const keep = Math.max(0, max - cutNote(text.length).length);
  let headEnd = Math.ceil(keep / 2);
  let tailStart = text.length - (keep - headEnd);
  const nl = text.lastIndexOf('\n', headEnd - 1);
  if (nl >= 0 && nl + 1 >= headEnd * 0.8) headEnd = nl + 1;
  const tailNl = text.indexOf('\n', tailStart);
  if (tailNl >= 0 && tailNl + 1 - tailStart <= (text.length - tailStart) * 0.2) tailStart = tailNl + 1;
  headEnd = avoidSplitPair(text, headEnd);
  tailStart = avoidSplitPair(text, tailStart);
  if (tailStart < headEnd) tailStart = headEnd;
  const cut = tailStart - headEnd;
  const head = text.slice(0, headEnd).replace(/\n$/, '');
  const tail = text.slice(tailStart).replace(/^\n/, '');
  return { text: `${head}${cutNote(cut)}${tail}`, cut };
}

// Moves a cut index off the middle of a UTF-16 surrogate pair, so no half character is kept.
function avoidSplitPair(text: string, at: number): number {
  if (at <= 0 || at >= text.length) return at;
  const before = text.charCodeAt(at - 1);
  return before >= 0xd800 && before <= 0xdbff ? at - 1 : at;
}
