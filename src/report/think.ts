// The policy's reasoning text and the SRL paper's three reasoning patterns: planning ahead, revising on the fly,
// verifying. Simple keyword rules, case-insensitive, on whole words; a reply shows a pattern when any of its rules
// matches. They over-count ("then" in a narration) and under-count (a plan with no signal word): read the shares
// as trends across runs, not as labels of single replies.
export const PATTERN_RULES = {
  /** An ordered intention: "first ... then", "next", "step 2", "I will", "I need to", "the plan". */
  plan: /\b(first(ly)?|then|next|after that|afterwards|finally|plan|step \d+|i will|i'll|i need to|we need to|i am going to|i'm going to|let me start)\b/i,
  /** A change of mind: "wait", "actually", "instead", "on second thought", "I was wrong", "reconsider". */
  revise: /\b(wait|actually|instead|on second thought|reconsider|rethink|i was wrong|that was wrong|mistake|correction|oops|hmm)\b/i,
  /** Checking a result: "verify", "check", "confirm", "make sure", "run the tests", "reproduce". */
  verify: /\b(verif(y|ies|ied|ication)|check(s|ed|ing)?|confirm(s|ed)?|make sure|ensure|double-check|validate|run the tests?|re-?run|reproduc(e|es|ed|ing))\b/i,
} as const;

export type Pattern = keyof typeof PATTERN_RULES;
export const PATTERNS = Object.keys(PATTERN_RULES) as Pattern[];

/** The text inside the first <think>...</think> (an unclosed <think> runs to the end); null when there is none. */
export function extractThink(response: string): string | null {
  const m = /<think>([\s\S]*?)(<\/think>|$)/.exec(response);
  return m ? m[1]!.trim() : null;
}

/** Which patterns one piece of reasoning shows. */
export function classifyThought(text: string): Record<Pattern, boolean> {
  return { plan: PATTERN_RULES.plan.test(text), revise: PATTERN_RULES.revise.test(text), verify: PATTERN_RULES.verify.test(text) };
}

export interface ThinkStats {
  /** Replies looked at, and those with reasoning (non-empty). */
  replies: number;
  withThought: number;
  /** Characters of each non-empty reasoning text. */
  lengths: number[];
  meanLength: number | null;
  /** Share of replies with reasoning that show each pattern (null when none has reasoning). */
  share: Record<Pattern, number | null>;
}

/** Lengths and pattern shares of a set of reasoning texts (null or empty: a reply without reasoning). */
export function analyseThoughts(texts: ReadonlyArray<string | null>): ThinkStats {
  const present = texts.filter((t): t is string => t !== null && t.trim() !== '');
  const lengths = present.map((t) => t.length);
  const counts: Record<Pattern, number> = { plan: 0, revise: 0, verify: 0 };
  for (const t of present) {
    const c = classifyThought(t);
    for (const p of PATTERNS) if (c[p]) counts[p]++;
  }
  const share = (p: Pattern) => (present.length ? counts[p] / present.length : null);
  return {
    replies: texts.length,
    withThought: present.length,
    lengths,
    meanLength: lengths.length ? lengths.reduce((a, b) => a + b, 0) / lengths.length : null,
    share: { plan: share('plan'), revise: share('revise'), verify: share('verify') },
  };
}
