import { Channel } from 'node:diagnostics_channel';
import { describe, expect, it } from 'vitest';
import * as channels from '../../src/diagnostics/diagnostics.ts';
import { channelNames } from '../../src/index.ts';

describe('channelNames', () => {
  it('names exactly the channels diagnostics.ts creates, the tracing one included', () => {
    expect(channels.commandChannel.start.name).toBe(`tracing:${channelNames.command}:start`);
    const created = Object.values(channels)
      .filter((value): value is Channel => value instanceof Channel)
      .map((channel) => channel.name);
    const { command: _, ...plain } = channelNames;
    expect(Object.values(plain).sort()).toEqual(created.sort());
  });
});
