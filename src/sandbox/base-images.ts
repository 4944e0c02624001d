// Builds a Python line's base image on first use with scripts/build-base-image.sh (debootstrap + docker import).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BaseLine } from '../config/python-lines.ts';
import { SweSrlError } from '../util/errors.ts';

const SCRIPT = fileURLToPath(new URL('../../scripts/build-base-image.sh', import.meta.url));

/** Runs the base build for `line` into `tag`, passing its progress lines to onLog; rejects with its last output. */
export function buildBaseImage(line: BaseLine, tag: string, onLog: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [SCRIPT, line, tag], { stdio: ['ignore', 'ignore', 'pipe'] });
    const tail: string[] = [];
    let buf = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      buf += chunk;
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) {
        onLog(l);
        tail.push(l);
        if (tail.length > 20) tail.shift();
      }
    });
    const fail = (how: string) =>
      reject(
        new SweSrlError({
          code: 'image_build_failed',
          message: `building base image ${tag} (Debian ${line}) ${how}: ${tail.join('\n')}`,
          fault: 'environment',
          value: tag,
          hint: `Run \`bash scripts/build-base-image.sh ${line}\` by hand to see the whole log (needs debootstrap and a Debian mirror that serves ${line}; SWE_SRL_DEBIAN_MIRROR sets it).`,
        }),
      );
    child.on('error', (e) => fail(`could not start (${e.message})`));
    child.on('close', (code) => (code === 0 ? resolve() : fail(`exited with ${code}`)));
  });
}
