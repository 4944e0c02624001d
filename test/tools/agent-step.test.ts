// One agent step: a malformed reply becomes the observation the agent is shown, a well-formed reply or bare call runs.
import { describe, expect, it } from 'vitest';
import { runAgentStep } from '../../src/tools/agent-step.ts';
import { createToolContext } from '../../src/tools/context.ts';
import { FileSandbox } from '../../src/testing/file-sandbox.ts';

const ctx = () => createToolContext({ sandbox: new FileSandbox({ '/testbed/a.txt': 'one\ntwo\n' }) });
const view = '<function=str_replace_editor>\n<parameter=command>view</parameter>\n<parameter=path>/testbed/a.txt</parameter>\n</function>';

describe('runAgentStep', () => {
  it('shows a malformed reply back with its reason', async () => {
    const s = await runAgentStep(ctx(), { response: 'no thinking here' });
    expect(s).toMatchObject({ ok: false, reason: 'missing_think' });
    expect(!s.ok && s.observation).toMatch(/^Your answer could not be run \(missing_think: /);
    expect(await runAgentStep(ctx(), { action: 'ls' })).toMatchObject({ ok: false, reason: 'no_call' });
  });

  it('runs the call of a reply, or a bare call, through the tools', async () => {
    const s = await runAgentStep(ctx(), { response: `<think>look</think>\n${view}` });
    expect(s).toMatchObject({ ok: true, thinking: 'look', actionText: view, call: { tool: 'str_replace_editor' } });
    // The file sandbox runs no commands, so the editor reports on the path: the tool itself ran.
    expect(s.ok && s.result.output).toContain('/testbed/a.txt');
    const bare = await runAgentStep(ctx(), { action: `  ${view}\n` });
    expect(bare).toMatchObject({ ok: true, thinking: '', actionText: view });
  });
});
