// Reading run files for the report: JSON and JSONL validated with zod, errors naming the file, line and field.
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { SweSrlError, formatPath } from '../util/errors.ts';

/** One JSON file checked against a schema. */
export async function readJson<T extends z.ZodTypeAny>(file: string, schema: T): Promise<z.infer<T>> {
  const text = await readText(file);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw badFile(file, `not valid JSON: ${(e as Error).message}`);
  }
  return check(schema, data, file, '');
}

/** Every non-blank line of a JSONL file checked against a schema (a line cut short by a killed writer fails too). */
export async function readJsonl<T extends z.ZodTypeAny>(file: string, schema: T): Promise<Array<z.infer<T>>> {
  const lines = (await readText(file)).split('\n');
  const out: Array<z.infer<T>> = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let data: unknown;
    try {
      data = JSON.parse(line);
    } catch (e) {
      throw badFile(file, `line ${i + 1} is not valid JSON: ${(e as Error).message}`);
    }
    out.push(check(schema, data, file, `line ${i + 1}: `));
  });
  return out;
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new SweSrlError({ code: 'report_file_unreadable', message: `cannot read: ${(e as Error).message}`, fault: 'user', file, cause: e, hint: 'Check that the run folder is complete.' });
  }
}

function check<T extends z.ZodTypeAny>(schema: T, data: unknown, file: string, where: string): z.infer<T> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw new SweSrlError({
    code: 'report_bad_file',
    message: `${where}${issue.message}`,
    fault: 'user',
    file,
    field: formatPath(issue.path),
    hint: 'The file does not have the shape swe-srl writes; was it written by another tool or version?',
  });
}

function badFile(file: string, message: string): SweSrlError {
  return new SweSrlError({ code: 'report_bad_file', message, fault: 'user', file, hint: 'The file may be cut short by a killed run; re-run the command that wrote it.' });
}
