// The error-code vocabulary: one casing, every code with its default fault and retry advice, and the throw sites
// that name a fault naming the vocabulary's (so the table is the truth a reader can trust).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, isErrorCode } from '../../src/util/error-codes.ts';
import { SweSrlError } from '../../src/util/errors.ts';

const SRC = join(import.meta.dirname, '../../src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('error codes', () => {
  it('are snake_case, each with a fault and retry advice', () => {
    for (const [code, info] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/);
      expect(['user', 'model', 'environment', 'internal']).toContain(info.fault);
      expect(typeof info.retryable).toBe('boolean');
    }
    expect(isErrorCode('bad_option')).toBe(true);
    expect(isErrorCode('BAD_OPTION')).toBe(false);
  });

  it('give an error its fault and retry advice unless the throw site says otherwise', () => {
    const e = new SweSrlError({ code: 'lock_timeout', message: 'held too long' });
    expect(e).toMatchObject({ code: 'lock_timeout', fault: ERROR_CODES.lock_timeout.fault, retryable: ERROR_CODES.lock_timeout.retryable });
    expect(new SweSrlError({ code: 'test_model_failed', message: 'm', fault: 'user' }).fault).toBe('user');
  });

  it('are thrown with the fault the vocabulary gives them (literal faults at throw sites)', () => {
    const mismatches: string[] = [];
    for (const file of sources(SRC)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/code: '([a-z_0-9]+)',[^}]*?fault: '(\w+)'/g)) {
        const code = m[1]!;
        if (!isErrorCode(code)) continue;
        if (ERROR_CODES[code].fault !== m[2]) mismatches.push(`${file.slice(SRC.length + 1)}: ${code} thrown as ${m[2]}, listed as ${ERROR_CODES[code].fault}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
