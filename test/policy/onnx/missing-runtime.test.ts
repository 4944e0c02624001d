// onnxruntime-node is optional: without it the onnx backend fails saying how to install it, and only when chosen.
import { describe, expect, it, vi } from 'vitest';

vi.mock('onnxruntime-node', () => {
  throw new Error("Cannot find package 'onnxruntime-node'");
});

describe('onnx backend without onnxruntime-node', () => {
  it('loadOrt fails with missing_dependency and the npm install hint', async () => {
    const { loadOrt } = await import('../../../src/policy/onnx/session.ts');
    const e = await loadOrt().catch((err: unknown) => err);
    expect(e).toMatchObject({ code: 'missing_dependency', fault: 'environment' });
    expect((e as Error).message).toMatch(/npm install/);
  });

  it('importing the backend module does not load the runtime', async () => {
    await expect(import('../../../src/policy/onnx-policy.ts')).resolves.toHaveProperty('OnnxPolicy');
  });
});
