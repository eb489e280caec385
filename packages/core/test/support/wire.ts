import type { TranscriptEntry } from '@dalli/test-utils';

/** The opcodes of the binary frames in `bytes` (complete frames only), in order. */
export function opcodesIn(bytes: Buffer): number[] {
  const opcodes: number[] = [];
  for (let at = 0; at + 24 <= bytes.length; at += 24 + bytes.readUInt32BE(at + 8))
    opcodes.push(bytes[at + 1] as number);
  return opcodes;
}

/**
 * One connection's traffic as a list of steps: each step is what the client sent before the
 * server's next chunk arrived, as request opcodes, and what the server then sent, as reply opcodes.
 */
export function conversation(
  transcript: readonly TranscriptEntry[],
  connection: number,
): { client: number[]; server: number[] }[] {
  const steps: { client: Buffer[]; server: Buffer[] }[] = [];
  for (const entry of transcript.filter((item) => item.connection === connection)) {
    const last = steps.at(-1);
    if (entry.from === 'client' && (last === undefined || last.server.length > 0))
      steps.push({ client: [entry.bytes], server: [] });
    else if (entry.from === 'client') last?.client.push(entry.bytes);
    else if (last === undefined) steps.push({ client: [], server: [entry.bytes] });
    else last.server.push(entry.bytes);
  }
  return steps.map((step) => ({
    client: opcodesIn(Buffer.concat(step.client)),
    server: opcodesIn(Buffer.concat(step.server)),
  }));
}
