import { describe, expect, it } from 'vitest';
import { parseEditsResponse } from '../../src/oracle/response.ts';

const edit = (path: string, o: string, n: string) =>
  `<function=str_replace_editor>\n<parameter=command>str_replace</parameter>\n<parameter=path>${path}</parameter>\n<parameter=old_str>${o}</parameter>\n<parameter=new_str>${n}</parameter>\n</function>`;
const create = '<function=str_replace_editor>\n<parameter=command>create</parameter>\n<parameter=path>/testbed/n.py</parameter>\n<parameter=file_text>x = 1\n</parameter>\n</function>';

describe('parseEditsResponse', () => {
  it('reads the thinking and every edit in order', () => {
    const r = parseEditsResponse(`<think>two fixes</think>\n${edit('/testbed/a.py', 'a', 'b')}\n\n${create}\n`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.thinking).toBe('two fixes');
    expect(r.calls.map((c) => c.args.command)).toEqual(['str_replace', 'create']);
    expect(r.calls[0]!.args).toMatchObject({ path: '/testbed/a.py', old_str: 'a', new_str: 'b' });
  });

  it('rejects responses without an edit, with other tools, or with text between edits', () => {
    expect(parseEditsResponse('<think>x</think>')).toMatchObject({ ok: false, reason: 'no_call' });
    expect(parseEditsResponse('no think at all')).toMatchObject({ ok: false, reason: 'missing_think' });
    const bash = '<function=bash>\n<parameter=command>ls</parameter>\n</function>';
    expect(parseEditsResponse(`<think>x</think>\n${edit('/testbed/a.py', 'a', 'b')}\n${bash}`)).toMatchObject({ ok: false, reason: 'not_an_edit' });
    const view = '<function=str_replace_editor>\n<parameter=command>view</parameter>\n<parameter=path>/testbed</parameter>\n</function>';
    expect(parseEditsResponse(`<think>x</think>\n${view}`)).toMatchObject({ ok: false, reason: 'not_an_edit' });
    expect(parseEditsResponse(`<think>x</think>\n${create}\nand now\n${create}`)).toMatchObject({ ok: false, reason: 'extra_text' });
    expect(parseEditsResponse(`<think>x</think>\n${edit('/testbed/a.py', 'a', 'b').replace('</function>', '')}`)).toMatchObject({ ok: false, reason: 'unclosed_tag' });
  });

  it('caps the number of edits', () => {
    const many = Array.from({ length: 4 }, () => create).join('\n');
    expect(parseEditsResponse(`<think>x</think>\n${many}`, { maxEdits: 3 })).toMatchObject({ ok: false, reason: 'too_many_edits' });
    expect(parseEditsResponse(`<think>x</think>\n${many}`, { maxEdits: 4 }).ok).toBe(true);
  });
});
