// Oracle examples: one per task, the issue and the files its reference patch edits (read at the base commit from
// the task's own sandbox, so any image source works) -> the reference patch as edits. They are the prompts of the
// RLVR stage (rewarded by the outcome reward) and of the oracle evaluation.
import type { EvalTask } from '../harness/image-provider.ts';
import type { SandboxProvider } from '../harness/sandbox-provider.ts';
import { renderCall } from '../srl/action-xml.ts';
import type { SrlExample } from '../train/examples.ts';
import { filesTouchedByPatch } from '../util/patch-paths.ts';
import { mapPool } from '../util/pool.ts';
import { shellQuote } from '../util/shell.ts';
import { patchEditToSearchReplace, renderSearchReplace, type SearchReplaceEdit } from '../evaluate/agentless/search-replace.ts';
import { disambiguateEdits, editCall, hunkRanges, patchToEditsWithNotes, type PatchEdit } from './patch-edits.ts';
import { oraclePrompt, type OracleFile, type OracleFormat, type OraclePromptOptions } from './prompt.ts';

/** The id of a task's oracle example. */
export function oracleExampleId(instanceId: string): string {
  return `${instanceId}/oracle`;
}

/**
 * The oracle example of a task whose files are known. The target is the reference patch as edits, each made unique
 * in its file; `unsupported` names the changes no edit can express (renames, deletions, binary files).
 */
export function oracleExample(
  task: EvalTask,
  files: readonly OracleFile[],
  opts?: Partial<OraclePromptOptions>,
): SrlExample & { unsupported: string[] } {
  const { edits, unsupported } = patchToEditsWithNotes(task.patch);
  const unique = disambiguateEdits(edits, new Map(files.map((f) => [f.path, f.content])));
  const target = oracleTarget(unique, opts?.format ?? 'editor', unsupported);
  return {
    unsupported,
    id: oracleExampleId(task.instance_id),
    instance_id: task.instance_id,
    step: 0,
    prompt: oraclePrompt({ issue: task.problem_statement, files, opts }),
    target,
    thought: '',
  };
}

/**
 * The reference edits in a format: editor calls, or SEARCH/REPLACE blocks (an insert without context, which blocks
 * cannot say, is noted in `unsupported`).
 */
export function oracleTarget(edits: readonly PatchEdit[], format: OracleFormat, unsupported: string[] = []): string {
  if (format === 'editor') return edits.map((e) => renderCall(editCall(e, '/testbed'))).join('\n');
  const blocks: SearchReplaceEdit[] = [];
  for (const e of edits) {
    const b = patchEditToSearchReplace(e);
    if (b) blocks.push(b);
    else unsupported.push(`an insert without context in ${e.path}`);
  }
  return renderSearchReplace(blocks);
}

/** What a build made: the examples, and one warning per task whose reference patch the edits cannot fully express. */
export interface OracleBuild {
  examples: SrlExample[];
  warnings: string[];
}

/**
 * Reads the files the reference patch edits, as they are at the base commit, with the line ranges its hunks change
 * (kept when a file must be cut to fit the prompt); files the patch creates are left out.
 */
export async function readOracleFiles(o: { sandboxes: SandboxProvider; task: EvalTask }): Promise<OracleFile[]> {
  const { sandbox } = await o.sandboxes.open(o.task, { labels: { 'swe-srl.oracle': o.task.instance_id } });
  try {
    const files: OracleFile[] = [];
    const focus = hunkRanges(o.task.patch);
    for (const path of filesTouchedByPatch(o.task.patch)) {
      const abs = `${sandbox.workdir}/${path}`;
      const exists = await sandbox.exec(`test -f ${shellQuote(abs)}`);
      if (exists.exitCode === 0) files.push({ path, content: await sandbox.readFile(abs), focus: focus.get(path) });
    }
    return files;
  } finally {
    await sandbox.close().catch(() => undefined);
  }
}

/** Builds the oracle examples of tasks, `workers` sandboxes at a time; onDone reports progress. */
export async function buildOracleExamples(o: {
  sandboxes: SandboxProvider;
  tasks: readonly EvalTask[];
  workers?: number;
  prompt?: Partial<OraclePromptOptions>;
  onDone?: (instanceId: string) => void;
}): Promise<OracleBuild> {
  const built = await mapPool(o.tasks, o.workers ?? 2, async (task) => {
    const files = await readOracleFiles({ sandboxes: o.sandboxes, task });
    o.onDone?.(task.instance_id);
    return oracleExample(task, files, o.prompt);
  });
  return {
    examples: built.map(({ unsupported: _, ...e }) => e),
    warnings: built.filter((b) => b.unsupported.length).map((b) => `${b.instance_id}: the target leaves out ${b.unsupported.join(', ')}`),
  };
}
