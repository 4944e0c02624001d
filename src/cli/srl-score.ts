// `swe-srl srl score`: rewards of policy completions against SRL examples, with a summary and optional per-row JSONL.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { parseCompletions, parseExamples, scoreCompletions, type ScoreSummary } from '../srl/score-file.ts';
import { writeFileAtomic } from '../util/atomic.ts';
import { SweSrlError } from '../util/errors.ts';

interface ScoreFlags {
  examples: string;
  completions: string;
  out?: string;
  autojunk: boolean;
  json: boolean;
}

/** Registers `srl score` on the `srl` command. */
export function register(srl: Command): void {
  srl
    .command('score')
    .description('Score completions ({id, response} JSONL) against examples ({id, target} JSONL)')
    .requiredOption('--examples <file>', 'SRL examples, JSONL with at least {"id", "target"} per line')
    .requiredOption('--completions <file>', 'policy responses, JSONL {"id": <example id>, "response": "..."}')
    .option('--out <file>', 'write one JSON line per response: {version, id, line, reward, status}')
    .option('--autojunk', "use difflib's autojunk heuristic (off by default, as in SWE-RL)", false)
    .option('--json', 'print the summary as JSON', false)
    .action(async (flags: ScoreFlags) => {
      const targets = parseExamples(await readText(flags.examples, 'examples'), flags.examples);
      const completions = parseCompletions(await readText(flags.completions, 'completions'), flags.completions);
      const { rows, summary } = scoreCompletions({
        targets,
        completions,
        completionsFile: flags.completions,
        reward: { autojunk: flags.autojunk },
      });
      if (flags.out) await writeFileAtomic(flags.out, rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
      console.log(flags.json ? JSON.stringify(summary) : formatSummary(summary));
    });
}

async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new SweSrlError({
      code: 'file_unreadable',
      message: `cannot read the ${what} file: ${(e as Error).message}`,
      fault: 'user',
      file,
      cause: e,
      hint: `Check the --${what} path.`,
    });
  }
}

function formatSummary(s: ScoreSummary): string {
  const num = (x: number | null, digits = 4): string => (x === null ? 'n/a' : x.toFixed(digits));
  const pct = s.formatErrorRate === null ? 'n/a' : `${(s.formatErrorRate * 100).toFixed(1)}%`;
  const reasons = Object.entries(s.reasons).map(([k, v]) => `${k} ${v}`);
  return [
    `responses: ${s.responses} (examples: ${s.examples})`,
    `mean reward: ${num(s.meanReward)} (over parsed responses: ${num(s.meanRewardParsed)})`,
    `format errors: ${s.formatErrors} (${pct})${reasons.length ? ` - ${reasons.join(', ')}` : ''}`,
  ].join('\n');
}
