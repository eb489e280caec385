import type { ProtocolName } from '../../src/index.ts';

/** The dialects whose integration suites run against real memcached, one `describe.each` each. */
export const DIALECTS: readonly ProtocolName[] = ['binary', 'meta', 'text'];
