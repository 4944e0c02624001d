// The tools section of the system prompt, rendered from the tool table in SWE-smith's layout (the data SRL used),
// so that the prompt and the parser can never disagree about names, parameters or which ones are required.
import { renderCall, TOOLS, type ToolSpec } from './action-xml.ts';

/** Describes each tool and its parameters, numbered, as in SWE-smith's system prompt. */
export function renderToolDocs(tools: readonly ToolSpec[] = TOOLS): string {
  return tools
    .map((tool, n) => {
      const lines = [`---- BEGIN FUNCTION #${n + 1}: ${tool.name} ----`, `Description: ${tool.description}`, ''];
      if (tool.parameters.length === 0) {
        lines.push('No parameters are required for this function.');
      } else {
        lines.push('Parameters:');
        tool.parameters.forEach((p, i) => {
          let required = p.required ? 'required' : 'optional';
          const by = Object.entries(tool.requiredByCommand ?? {})
            .filter(([, names]) => names.includes(p.name))
            .map(([command]) => `\`${command}\``);
          if (!p.required && by.length > 0) required += `, required by ${by.join(' and ')}`;
          lines.push(`  (${i + 1}) ${p.name} (${p.type}, ${required}): ${p.description}`);
          if (p.enum) lines.push(`Allowed values: [${p.enum.map((v) => `\`${v}\``).join(', ')}]`);
        });
      }
      lines.push(`---- END FUNCTION #${n + 1} ----`);
      return lines.join('\n');
    })
    .join('\n\n');
}

/** How a response must look: a thought in <think> tags, then exactly one call, nothing after it. */
export function renderFormatInstructions(): string {
  const example = renderCall({ tool: 'bash', args: { command: 'grep -rn "def foo" /testbed/src' } });
  return [
    'Reply with your reasoning inside <think>...</think>, followed by exactly ONE function call and nothing after it:',
    '',
    '<think>',
    'Why this is the right next step.',
    '</think>',
    example,
    '',
    'Parameter values are taken verbatim (they may span several lines). Required parameters MUST be given.',
  ].join('\n');
}
