export type { ObservedClient, ServerHealth } from './channel-messages.ts';
export { type Instrumentation, type InstrumentOptions, instrument } from './instrument.ts';
export { obfuscateKey, type QueryText } from './query-text.ts';
