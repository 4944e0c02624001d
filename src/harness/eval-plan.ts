// One instance's evaluation, planned from its Task and the env spec of its repo/version: the test files, the
// directives, the log parser, fresh markers and the eval script. Plain data (SWE-bench's TestSpec); pure.
import type { EnvSpec } from '../config/env-spec.ts';
import type { Task } from '../tasks/schema.ts';
import { buildEvalScript } from './eval-script.ts';
import { getLogParser } from './log-parsers/index.ts';
import { makeMarkers, type Markers } from './test-output.ts';
import { filesCreatedByPatch, filesTouchedByPatch, testDirectives, testFilesFromPatch } from './test-spec.ts';

/** The parts of an env spec the harness needs. */
export type HarnessSpec = Pick<EnvSpec, 'test_cmd' | 'log_parser' | 'directives' | 'env' | 'timeout_s'>;

export interface PlanEvalOptions {
  task: Task;
  spec: HarnessSpec;
  /** Where the runner will write `task.test_patch` inside the sandbox. */
  testPatchPath: string;
  workdir?: string;
  /** Git ref of the unmodified repository in the sandbox; default the task's base_commit (official images). */
  baseRef?: string;
  preCommands?: readonly string[];
  /** Fixed nonce (tests); a random one otherwise. */
  nonce?: string;
  /** Let the script kill the test command at `spec.timeout_s` (default true). */
  scriptTimeout?: boolean;
  /**
   * A regression run (Agentless's check of a candidate patch): the test patch's files that exist at the base commit
   * run as they are there, no test patch applied, graded on PASS_TO_PASS alone (FAIL_TO_PASS stays unseen).
   */
  regression?: boolean;
}

export interface EvalPlan {
  instanceId: string;
  /** What the runner writes at `testPatchPath` before running the script. */
  testPatch: string;
  testPatchPath: string;
  /** Files the test patch touches (reset before and after). */
  testFiles: string[];
  /** Test files run (SWE-bench's directives before transformation). */
  testTargets: string[];
  directives: string[];
  logParser: string;
  markers: Markers;
  script: string;
  timeoutS: number;
  failToPass: string[];
  passToPass: string[];
}

/** Plans one instance's evaluation (fails early on an unknown log parser). */
export function planEval(opts: PlanEvalOptions): EvalPlan {
  const { task, spec } = opts;
  getLogParser(spec.log_parser);
  const markers = makeMarkers(opts.nonce);
  const created = opts.regression ? new Set(filesCreatedByPatch(task.test_patch)) : new Set<string>();
  const testTargets = testFilesFromPatch(task.test_patch).filter((f) => !created.has(f));
  const directives = testDirectives(testTargets, spec.directives);
  const testFiles = filesTouchedByPatch(task.test_patch);
  const script = buildEvalScript({
    testCommand: spec.test_cmd,
    directives,
    testPatchPath: opts.testPatchPath,
    testFiles,
    baseRef: opts.baseRef ?? task.base_commit,
    markers,
    workdir: opts.workdir,
    env: spec.env,
    preCommands: opts.preCommands,
    timeoutS: opts.scriptTimeout === false ? undefined : spec.timeout_s,
  });
  return {
    instanceId: task.instance_id,
    testPatch: opts.regression ? '' : task.test_patch,
    testPatchPath: opts.testPatchPath,
    testFiles,
    testTargets,
    directives,
    logParser: spec.log_parser,
    markers,
    script,
    timeoutS: spec.timeout_s,
    failToPass: opts.regression ? [] : task.FAIL_TO_PASS,
    passToPass: task.PASS_TO_PASS,
  };
}
