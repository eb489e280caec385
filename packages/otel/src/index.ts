export type { ObservedClient, ServerHealth } from './channel-messages.ts';
export { DalliInstrumentation, type DalliInstrumentationConfig } from './dalli-instrumentation.ts';
export { type Instrumentation, type InstrumentOptions, instrument } from './instrument.ts';
export { obfuscateKey, type QueryText } from './query-text.ts';
