// The normalized, versioned Trajectory that every foreign format parses into.

export const TRAJECTORY_VERSION = 1;

export type ToolName = 'bash' | 'str_replace_editor' | 'submit';

/** A parsed tool call: the tool the environment would execute and its arguments (all strings, as in the XML form). */
export interface ToolCall {
  tool: ToolName;
  args: Record<string, string>;
}

export interface Action {
  /** The raw text the agent sent for this step (a command, a tool call's JSON, an XML call...). */
  raw: string;
  /** The call the environment would execute, when the format lets us know it. */
  call?: ToolCall;
}

export interface Step {
  thought: string;
  action: Action;
  observation: string;
}

export interface Trajectory {
  version: typeof TRAJECTORY_VERSION;
  /** Registry name of the format it was parsed from (e.g. 'swe-agent', 'mini-swe-agent'). */
  format: string;
  instanceId: string;
  /** Where it came from: a file path, plus a row index for multi-row files. */
  source: { file: string; index?: number };
  /** The issue text when the trajectory carries it. */
  problemStatement?: string;
  steps: Step[];
  /** The final patch the agent submitted, when recorded. */
  submission?: string;
  /** Whether the run resolved the task, when recorded. */
  resolved?: boolean;
  /** Format-specific facts worth keeping (model name, exit status, shell semantics...). */
  meta: Record<string, unknown>;
}
