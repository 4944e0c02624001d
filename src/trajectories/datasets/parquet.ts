// Reading a Parquet export of a trajectory dataset one row group at a time, so that memory holds one group's rows
// (and what was parsed from them), never the whole table.
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema, type AsyncBuffer, type FileMetaData } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { SweSrlError } from '../../util/errors.ts';
import { PARQUET_CODECS_HINT, plainParquetValue } from '../../util/parquet-values.ts';

export interface ParquetTable {
  file: string;
  columns: string[];
  numRows: number;
  /** Row ranges of the row groups, in file order (end exclusive). */
  groups: Array<{ rowStart: number; rowEnd: number }>;
}

interface OpenTable extends ParquetTable {
  buffer: AsyncBuffer;
  metadata: FileMetaData;
}

const CODECS_HINT = `${PARQUET_CODECS_HINT} A truncated download fails here: fetch the file again.`;

/** Opens a Parquet file and reads its footer: columns, row count and row groups. */
export async function openParquet(file: string): Promise<OpenTable> {
  let buffer: AsyncBuffer;
  let metadata: FileMetaData;
  try {
    buffer = await asyncBufferFromFile(file);
    metadata = await parquetMetadataAsync(buffer);
  } catch (e) {
    throw new SweSrlError({
      code: 'trajectory_parquet_unreadable',
      message: `not a readable Parquet file: ${e instanceof Error ? e.message : String(e)}`,
      fault: 'user',
      file,
      hint: CODECS_HINT,
      cause: e,
    });
  }
  const columns = parquetSchema(metadata).children.map((c) => c.element.name);
  const groups: ParquetTable['groups'] = [];
  let start = 0;
  for (const g of metadata.row_groups) {
    const n = Number(g.num_rows);
    groups.push({ rowStart: start, rowEnd: start + n });
    start += n;
  }
  return { file, columns, numRows: Number(metadata.num_rows), groups, buffer, metadata };
}

/** The rows of one row group as plain JSON-like objects; a damaged group fails naming its rows. */
export async function readGroup(table: OpenTable, group: { rowStart: number; rowEnd: number }): Promise<Record<string, unknown>[]> {
  try {
    const rows = await parquetReadObjects({
      file: table.buffer,
      metadata: table.metadata,
      rowStart: group.rowStart,
      rowEnd: group.rowEnd,
      compressors,
    });
    return rows.map((r) => plainParquetValue(r) as Record<string, unknown>);
  } catch (e) {
    throw new SweSrlError({
      code: 'trajectory_parquet_unreadable',
      message: `cannot read rows ${group.rowStart}-${group.rowEnd - 1}: ${e instanceof Error ? e.message : String(e)}`,
      fault: 'user',
      file: table.file,
      field: `rows ${group.rowStart}-${group.rowEnd - 1}`,
      hint: CODECS_HINT,
      cause: e,
    });
  }
}
