// Reading a JSON request body with a size limit, for our HTTP servers: an over-long body or one that is not JSON
// ends as a user-fault SweSrlError (body_too_large, bad_json) that the server turns into its error reply.
import type { IncomingMessage } from 'node:http';
import { SweSrlError } from './errors.ts';

/** The parsed body ({} when empty); reading stops as soon as it passes maxBytes. */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > maxBytes)
      throw new SweSrlError({ code: 'body_too_large', message: `the body is over ${maxBytes} bytes`, fault: 'user', field: '(body)' });
    chunks.push(c as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text.trim() ? JSON.parse(text) : {};
  } catch (e) {
    throw new SweSrlError({ code: 'bad_json', message: `the body is not JSON: ${(e as Error).message}`, fault: 'user', field: '(body)' });
  }
}
