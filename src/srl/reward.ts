// The SRL step reward: similarity of the predicted action to the expert's, -1 for a malformed response.
//
// reward = difflib.SequenceMatcher(None, predicted, expert, autojunk).ratio(), identical to CPython.
// - `predicted` is renderCall(parsed call): the canonical rendering (one parameter per block, in the tool
//   table's order, values verbatim), not the raw text the policy wrote. Expert actions are stored rendered the
//   same way (the step builder runs renderCall on the expert's call), so two calls with the same tool and
//   arguments score exactly 1.0 whatever parameter order or tag spacing the policy used, and differences in
//   formatting noise never move the reward; only the action is scored, never the thinking.
// - `autojunk` defaults to false, as in SWE-RL: with autojunk, in an expert action of 200+ code points every one
//   that occurs in more than 1% of the expert action (spaces, "e", newlines...) is dropped from the match index,
//   which makes long actions look less similar than they are and the reward jump as the expert crosses 200.
import { renderCall } from './action-xml.ts';
import { sequenceRatio } from './difflib.ts';
import { parseResponse, type ResponseErrorReason } from './response.ts';

/** The reward of a response that does not parse. */
export const FORMAT_ERROR_REWARD = -1;

export interface RewardOptions {
  /** Python's autojunk heuristic; false (the default) as in SWE-RL. */
  autojunk?: boolean;
}

export interface ScoredResponse {
  /** ratio() in [0, 1] when the response parses, FORMAT_ERROR_REWARD otherwise. */
  reward: number;
  status: 'ok' | ResponseErrorReason;
  /** The canonical rendering of the predicted call, when the response parses. */
  action?: string;
  /** Why the response does not parse, for logs. */
  detail?: string;
}

/** SequenceMatcher(None, a, b, autojunk).ratio() on two strings (autojunk false by default). */
export function similarity(a: string, b: string, opts: RewardOptions = {}): number {
  return sequenceRatio(a, b, { autojunk: opts.autojunk ?? false });
}

/** Scores one policy response against the expert action (stored canonically rendered). */
export function scoreResponse(response: string, expertAction: string, opts: RewardOptions = {}): ScoredResponse {
  const parsed = parseResponse(response);
  if (!parsed.ok) return { reward: FORMAT_ERROR_REWARD, status: parsed.reason, detail: parsed.detail };
  const action = renderCall(parsed.call);
  return { reward: similarity(action, expertAction, opts), status: 'ok', action };
}
