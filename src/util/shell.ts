// Shell quoting for commands built on the host and run by bash in a sandbox.

/** Quotes a string as one bash word, whatever it contains. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
