// Step-wise SRL examples (JSONL, one per line): the prompt the policy sees and the expert action it should produce.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { MessageSchema } from '../policy/protocol.ts';
import { SweSrlError, formatPath } from '../util/errors.ts';

export const SrlExampleSchema = z.object({
  id: z.string().min(1),
  instance_id: z.string(),
  step: z.number().int().nonnegative(),
  prompt: z.array(MessageSchema).min(1),
  /** The expert action, rendered canonically (`<function=...>...</function>`). */
  target: z.string().min(1),
  /** The expert's thinking, when the builder kept it (used by the SFT response template). */
  thought: z.string().optional(),
});
export type SrlExample = z.infer<typeof SrlExampleSchema>;

/** Parses JSONL text into examples; every bad line is reported with its line number. */
export function parseExamples(text: string, file: string): SrlExample[] {
  const out: SrlExample[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (e) {
      throw new SweSrlError({
        code: 'bad_example',
        message: `line ${i + 1} is not JSON (${(e as Error).message})`,
        fault: 'user',
        file,
      });
    }
    const r = SrlExampleSchema.safeParse(raw);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      throw new SweSrlError({
        code: 'bad_example',
        message: `line ${i + 1}: ${issue.message}`,
        fault: 'user',
        file,
        field: formatPath(issue.path),
        hint: 'Examples are {id, instance_id, step, prompt: [{role, content}], target} (see swe-srl srl build).',
      });
    }
    out.push(r.data);
  }
  if (out.length === 0)
    throw new SweSrlError({ code: 'no_examples', message: 'the example file holds no examples', fault: 'user', file });
  return out;
}

/** Reads a JSONL example file. */
export async function loadExamples(file: string): Promise<SrlExample[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new SweSrlError({ code: 'no_example_file', message: `cannot read ${file}`, fault: 'user', file, cause: e });
  }
  return parseExamples(text, file);
}

/** The SFT completion for an example: the template with {thought} and {target} filled in. */
export function renderSftResponse(ex: SrlExample, template: string): string {
  return template.replaceAll('{thought}', ex.thought ?? '').replaceAll('{target}', ex.target);
}
