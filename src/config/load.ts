// YAML config files plus `a.b=c` overrides, checked by a zod schema; every problem is reported at once.
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { SweSrlError, formatPath } from '../util/errors.ts';

/** Sets obj[a][b]... = value for a dotted path, creating objects on the way; the value is read as YAML (1, true, [a]). */
export function applyOverride(obj: Record<string, unknown>, override: string): void {
  const eq = override.indexOf('=');
  const raw = eq > 0 ? override.slice(eq + 1) : '';
  let value: unknown;
  try {
    value = raw === '' ? '' : parseYaml(raw, { logLevel: 'error' });
  } catch {
    value = raw;
  }
  setOverride(obj, override, value);
}

/** Sets a dotted path to a string verbatim (file paths: `--out 2024` must stay the string "2024"). */
export function applyStringOverride(obj: Record<string, unknown>, key: string, value: string): void {
  setOverride(obj, `${key}=${value}`, value);
}

function setOverride(obj: Record<string, unknown>, override: string, value: unknown): void {
  const eq = override.indexOf('=');
  if (eq <= 0)
    throw new SweSrlError({
      code: 'bad_override',
      message: `override ${JSON.stringify(override)} is not key.path=value`,
      fault: 'user',
      value: override,
      hint: 'Write e.g. rollout.n=8 or optimizer.lr=1e-6.',
    });
  const keys = override.slice(0, eq).trim().split('.');
  // An empty segment is a typo; the object machinery's own names would reach past the config (prototype pollution).
  if (keys.some((k) => k === '' || k === '__proto__' || k === 'constructor' || k === 'prototype'))
    throw new SweSrlError({
      code: 'bad_override',
      message: `override ${JSON.stringify(override)} has an empty or reserved key`,
      fault: 'user',
      field: override.slice(0, eq).trim(),
      hint: 'Keys are config field names separated by dots, e.g. rollout.n=8.',
    });
  let cur: Record<string, unknown> = obj;
  for (const k of keys.slice(0, -1)) {
    const next = cur[k];
    if (next === undefined || next === null) cur[k] = {};
    else if (typeof next !== 'object' || Array.isArray(next))
      throw new SweSrlError({
        code: 'bad_override',
        message: `cannot set ${override}: ${k} is not a section`,
        fault: 'user',
        field: keys.join('.'),
      });
    cur = cur[k] as Record<string, unknown>;
  }
  cur[keys[keys.length - 1]!] = value;
}

/** Checks raw config data with schema; all issues go into one error, each with its path. */
export function validateConfig<S extends z.ZodTypeAny>(schema: S, data: unknown, file?: string): z.output<S> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
  throw new SweSrlError({
    code: 'bad_config',
    message: `invalid config:\n  ${lines.join('\n  ')}\n`,
    fault: 'user',
    file,
  });
}

/** Reads a YAML file (or starts empty), applies overrides in order, and validates. */
export async function loadConfig<S extends z.ZodTypeAny>(
  schema: S,
  opts: { file?: string; overrides?: string[]; strings?: Record<string, string> },
): Promise<z.output<S>> {
  let data: Record<string, unknown> = {};
  if (opts.file) {
    let text: string;
    try {
      text = await readFile(opts.file, 'utf8');
    } catch (e) {
      throw new SweSrlError({ code: 'no_config', message: 'cannot read the config', fault: 'user', file: opts.file, cause: e });
    }
    const parsed: unknown = parseYaml(text);
    if (parsed !== null && parsed !== undefined) {
      if (typeof parsed !== 'object' || Array.isArray(parsed))
        throw new SweSrlError({ code: 'bad_config', message: 'the config is not a YAML mapping', fault: 'user', file: opts.file });
      data = parsed as Record<string, unknown>;
    }
  }
  for (const o of opts.overrides ?? []) applyOverride(data, o);
  for (const [k, v] of Object.entries(opts.strings ?? {})) applyStringOverride(data, k, v);
  return validateConfig(schema, data, opts.file);
}
