// Small text helpers shared by the format parsers: message content, issue text, repo roots, sampler suffixes.

/** Chat content as text: a string, null, or a list of parts of which the text ones count. */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((p) => (p && typeof p === 'object' && typeof (p as { text?: unknown }).text === 'string' ? (p as { text: string }).text : ''))
      .join('');
  }
  return '';
}

/** The issue text inside a task prompt: `<pr_description>` (SWE-Gym, SWE-smith, mini) or SWE-agent's ISSUE: block. */
export function extractIssue(prompt: string): string | undefined {
  const pr = /<pr_description>\s*\n?(?:Consider the following PR description:\s*\n)?([\s\S]*?)<\/pr_description>/.exec(prompt);
  if (pr?.[1]?.trim()) return pr[1].trim();
  const sw = /ISSUE:\s*\n([\s\S]*?)\n+INSTRUCTIONS:/.exec(prompt);
  if (sw?.[1]?.trim()) return sw[1].trim();
  const ps = /# Problem Statement\s*\n([\s\S]*?)(?:\n+IMPORTANT:|$)/.exec(prompt);
  if (ps?.[1]?.trim()) return ps[1].trim();
  return undefined;
}

/** The repository folder a task prompt names (`<uploaded_files>` of OpenHands / SWE-smith prompts). */
export function uploadedRoot(prompt: string): string | undefined {
  const m = /<uploaded_files>\s*\n?\s*(\/[^\s<]+)\s*<\/uploaded_files>/.exec(prompt);
  return m?.[1]?.replace(/\/+$/, '') || undefined;
}

export interface SweAgentFooter {
  text: string;
  openFile?: string;
  cwd?: string;
}

const FOOTER_RE = /\n?\(Open file: ([^\n]*)\)\n\(Current directory: ([^\n]*)\)\n?bash-\$\s*$/;

/**
 * SWE-agent appends its prompt state to every observation shown to the model ("(Open file: F)\n(Current directory:
 * D)\nbash-$"). That is template, not command output: it is cut off, and what it says is returned.
 */
export function splitSweAgentFooter(observation: string): SweAgentFooter {
  const m = FOOTER_RE.exec(observation);
  if (!m) return { text: observation };
  let text = observation.slice(0, m.index);
  // SWE-agent shows this sentence in place of an empty output; the command itself printed nothing.
  if (text.trim() === 'Your command ran successfully and did not produce any output.') text = '';
  return { text, openFile: m[1], cwd: m[2] };
}

/** SWE-Gym / nebius sampler ids carry `_N` after the SWE-bench id: split it off. */
export function splitSamplerSuffix(id: string): { instanceId: string; sample?: number } {
  const m = /^(.+-\d+)_(\d+)$/.exec(id);
  if (!m) return { instanceId: id };
  return { instanceId: m[1]!, sample: Number(m[2]) };
}

/** Files a unified diff touches (b/ side), for consistency checks. */
export function diffFiles(patch: string): string[] {
  return [...patch.matchAll(/^diff --git a\/(\S+) b\/(\S+)/gm)].map((m) => m[2]!);
}

/** A plain JSON object (not null, not an array). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
