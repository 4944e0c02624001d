// The SRL reward as a line filter, so a Python trainer (bench/trl-grpo.py) scores with this project's scorer rather
// than a copy: each stdin line {"response", "expert"} gets one stdout line {"reward", "status"}.
// Run: node bin/run-ts.js bench/srl-reward-lines.ts
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { scoreResponse } from '../src/srl/reward.ts';

const LineSchema = z.object({ response: z.string(), expert: z.string() });

for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const parsed = LineSchema.safeParse(JSON.parse(line));
  if (!parsed.success) {
    process.stdout.write(`${JSON.stringify({ error: parsed.error.issues.map((i) => i.message).join('; ') })}\n`);
    continue;
  }
  const s = scoreResponse(parsed.data.response, parsed.data.expert);
  process.stdout.write(`${JSON.stringify({ reward: s.reward, status: s.status })}\n`);
}
