// Maps the repository root a trajectory was recorded in (`/marshmallow-code__marshmallow` for SWE-agent runs,
// `/workspace/python__mypy__1.6` for SWE-Gym, `/plumbum` for nebius) to `/testbed`, where the policy acts: an
// expert action that says `/workspace/x__y__1.0/src/a.py` would otherwise be a target no policy could match, and a
// target the environment could not run.
import type { ToolCall } from '../trajectories/types.ts';

/** Where the policy's environment has the repository. */
export const TESTBED = '/testbed';

/** A function replacing the recorded root by `to` in a text; the identity when there is nothing to map. */
export function rootMapper(root: unknown, to: string = TESTBED): (text: string) => string {
  if (typeof root !== 'string') return (s) => s;
  const from = root.replace(/\/+$/, '');
  if (from === '' || from === to || !from.startsWith('/')) return (s) => s;
  const escaped = from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // Only a whole path: not preceded by a path character (so `/a/plumbum/x` keeps its `/plumbum`), and followed by
  // a `/` or something that cannot continue a file name (so `/plumbum2` is another folder).
  const re = new RegExp(`(?<![\\w.~/-])${escaped}(?![\\w.-])`, 'g');
  return (s) => s.replace(re, to);
}

/** The call with every argument value mapped. */
export function mapCall(call: ToolCall, map: (text: string) => string): ToolCall {
  return { tool: call.tool, args: Object.fromEntries(Object.entries(call.args).map(([k, v]) => [k, map(v)])) };
}
