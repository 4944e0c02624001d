import { describe, expect, it } from 'vitest';
import { TOOLS } from '../../src/srl/action-xml.ts';
import { parseResponse } from '../../src/srl/response.ts';
import { renderFormatInstructions, renderToolDocs } from '../../src/srl/tool-docs.ts';

describe('renderToolDocs', () => {
  it('documents every tool and parameter with what is required', () => {
    const docs = renderToolDocs();
    for (const [n, tool] of TOOLS.entries()) {
      expect(docs).toContain(`---- BEGIN FUNCTION #${n + 1}: ${tool.name} ----`);
      for (const p of tool.parameters) expect(docs).toContain(` ${p.name} (${p.type}, `);
    }
    expect(docs).toContain('(1) command (string, required): The bash command to execute.');
    expect(docs).toContain('(3) file_text (string, optional, required by `create`)');
    expect(docs).toContain('(5) new_str (string, optional, required by `insert`)');
    expect(docs).toContain('Allowed values: [`view`, `create`, `str_replace`, `insert`, `undo_edit`]');
    expect(docs).toContain('---- BEGIN FUNCTION #3: submit ----\nDescription: Finish the task');
    expect(docs).toContain('No parameters are required for this function.');
  });

  it('shows an example response that the parser accepts', () => {
    const text = renderFormatInstructions();
    const example = text.slice(text.indexOf('<think>\n'), text.indexOf('</function>') + '</function>'.length);
    expect(parseResponse(example)).toMatchObject({ ok: true, call: { tool: 'bash' } });
  });
});
