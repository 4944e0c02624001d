// Parquet rows as JSON values: hyparquet hands back BigInt for INT64 and Date for timestamps, and row schemas (task
// rows, trajectory rows) want plain JSON. Shared by every Parquet reader of the project.

/** The codecs hyparquet + hyparquet-compressors read, for error hints. */
export const PARQUET_CODECS_HINT = 'Readable codecs: uncompressed, Snappy, GZIP, Brotli, ZSTD, LZ4 (hyparquet + hyparquet-compressors).';

/** A Parquet value as JSON: safe BigInts as numbers (others as decimal strings), dates as ISO strings, deeply. */
export function plainParquetValue(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(plainParquetValue);
  if (v && typeof v === 'object' && !(v instanceof Uint8Array)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = plainParquetValue(x);
    return out;
  }
  return v;
}
