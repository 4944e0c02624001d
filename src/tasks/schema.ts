// The Task contract: one SWE-bench row, validated at the edge. FAIL_TO_PASS / PASS_TO_PASS arrive as lists or as
// JSON strings (the Hugging Face export); both normalise to string[].
import { z } from 'zod';

const testList = z.union([
  z.array(z.string()),
  z.string().transform((s, ctx) => {
    const trimmed = s.trim();
    if (trimmed === '') return [] as string[];
    try {
      const v: unknown = JSON.parse(trimmed);
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    } catch {
      /* reported below */
    }
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'expected a list of test names or a JSON string of one' });
    return z.NEVER;
  }),
]);

export const TaskSchema = z
  .object({
    instance_id: z.string().min(1),
    repo: z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'expected "owner/name"'),
    base_commit: z.string().min(1),
    problem_statement: z.string(),
    patch: z.string().default(''),
    test_patch: z.string(),
    FAIL_TO_PASS: testList,
    PASS_TO_PASS: testList.default([]),
    version: z.union([z.string(), z.number()]).transform(String).default(''),
    environment_setup_commit: z.string().nullish(),
    hints_text: z.string().nullish(),
    created_at: z.string().nullish(),
  })
  .passthrough();

export type Task = z.output<typeof TaskSchema>;
