// The three files a build writes: our versioned steps JSONL, verl's Parquet, TRL's conversational JSONL.
//
// verl (RLHFDataset) reads a Parquet table with `data_source`, `prompt` (list<struct<role, content>>, the chat
// messages it applies the chat template to), `reward_model: struct<style, ground_truth>` and `extra_info` (a struct
// handed to the reward function). hyparquet-writer writes nested groups from an explicit schema (Dremel-encoded),
// so the columns are real nested types, laid out as Arrow/pyarrow writes them (3-level LIST named list/element,
// every field OPTIONAL) so that pandas / datasets read them back as lists of dicts and dicts.
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { SchemaElement } from 'hyparquet';
import { writeFileAtomic } from '../util/atomic.ts';
import type { DatasetExample } from './dataset.ts';
import type { ChatMessage } from './prompt.ts';

export const STEPS_VERSION = 1;

/** One line of the steps JSONL (snake_case, versioned). */
export function toStepsLine(e: DatasetExample): Record<string, unknown> {
  return {
    version: STEPS_VERSION,
    id: e.id,
    instance_id: e.instanceId,
    step: e.step,
    num_steps: e.numSteps,
    format: e.format,
    repo: e.repo,
    split: e.split,
    tool: e.tool,
    prompt: e.prompt,
    target: e.target,
    shown_steps: e.shownSteps,
    omitted_steps: e.omittedSteps,
    observation_chars_cut: e.observationCharsCut,
    issue_chars_cut: e.issueCharsCut,
    source: e.source,
    ...(e.resolved === undefined ? {} : { resolved: e.resolved }),
  };
}

/**
 * One line in TRL's conversational prompt-completion format. `target` repeats the expert action as a plain column
 * because GRPOTrainer hands every column but prompt/completion to reward functions (swe_srl.rewards.srl_reward).
 */
export function toTrlLine(e: DatasetExample): { prompt: ChatMessage[]; completion: ChatMessage[]; id: string; target: string } {
  return { prompt: e.prompt, completion: [{ role: 'assistant', content: e.target }], id: e.id, target: e.target };
}

/** The verl row of an example (what one Parquet row holds). */
export function toVerlRow(e: DatasetExample, index: number): VerlRow {
  return {
    data_source: `swe-srl/${e.format}`,
    prompt: e.prompt.map((m) => ({ role: m.role, content: m.content })),
    ability: 'swe',
    reward_model: { style: 'rule', ground_truth: e.target },
    extra_info: {
      id: e.id,
      instance_id: e.instanceId,
      step: e.step,
      num_steps: e.numSteps,
      split: e.split,
      format: e.format,
      repo: e.repo,
      tool: e.tool,
      index,
    },
  };
}

export interface VerlRow {
  data_source: string;
  prompt: Array<{ role: string; content: string }>;
  ability: string;
  reward_model: { style: string; ground_truth: string };
  extra_info: {
    id: string;
    instance_id: string;
    step: number;
    num_steps: number;
    split: string;
    format: string;
    repo: string;
    tool: string;
    index: number;
  };
}

const str = (name: string): SchemaElement => ({ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' });
const i64 = (name: string): SchemaElement => ({ name, type: 'INT64', repetition_type: 'OPTIONAL' });
const group = (name: string, n: number): SchemaElement => ({ name, repetition_type: 'OPTIONAL', num_children: n });
const EXTRA_INFO: SchemaElement[] = [
  str('id'),
  str('instance_id'),
  i64('step'),
  i64('num_steps'),
  str('split'),
  str('format'),
  str('repo'),
  str('tool'),
  i64('index'),
];

/** The Parquet schema of the verl table, flattened in depth-first order as Parquet stores it. */
export const VERL_SCHEMA: SchemaElement[] = [
  { name: 'schema', num_children: 5 },
  str('data_source'),
  { name: 'prompt', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
  group('element', 2),
  str('role'),
  str('content'),
  str('ability'),
  group('reward_model', 2),
  str('style'),
  str('ground_truth'),
  group('extra_info', EXTRA_INFO.length),
  ...EXTRA_INFO,
];

/** The verl Parquet bytes of the examples. */
export function verlParquet(examples: readonly DatasetExample[]): Uint8Array {
  const rows = examples.map((e, i) => toVerlRow(e, i));
  const extra = rows.map((r) => ({
    ...r.extra_info,
    step: BigInt(r.extra_info.step),
    num_steps: BigInt(r.extra_info.num_steps),
    index: BigInt(r.extra_info.index),
  }));
  const buf = parquetWriteBuffer({
    columnData: [
      { name: 'data_source', data: rows.map((r) => r.data_source) },
      { name: 'prompt', data: rows.map((r) => r.prompt) },
      { name: 'ability', data: rows.map((r) => r.ability) },
      { name: 'reward_model', data: rows.map((r) => r.reward_model) },
      { name: 'extra_info', data: extra },
    ],
    schema: VERL_SCHEMA,
    kvMetadata: [{ key: 'swe-srl.steps.version', value: String(STEPS_VERSION) }],
  });
  return new Uint8Array(buf);
}

/** Writes the steps JSONL, atomically. */
export async function writeStepsJsonl(path: string, examples: readonly DatasetExample[]): Promise<void> {
  await writeFileAtomic(path, jsonl(examples.map(toStepsLine)));
}

/** Writes TRL's prompt-completion JSONL, atomically. */
export async function writeTrlJsonl(path: string, examples: readonly DatasetExample[]): Promise<void> {
  await writeFileAtomic(path, jsonl(examples.map(toTrlLine)));
}

/** Writes verl's Parquet, atomically. */
export async function writeVerlParquet(path: string, examples: readonly DatasetExample[]): Promise<void> {
  await writeFileAtomic(path, verlParquet(examples));
}

function jsonl(rows: readonly unknown[]): string {
  return rows.map((r) => `${JSON.stringify(r)}\n`).join('');
}
