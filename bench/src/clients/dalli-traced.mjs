import { tracingChannel } from 'node:diagnostics_channel';
import { dalli } from './dalli.mjs';

/** A subscriber that does nothing: what tracing costs the client itself. */
const noop = { start() {}, end() {}, asyncStart() {}, asyncEnd() {}, error() {} };

/** @dalli/core with a `dalli:command` subscriber attached during its runs. */
export const dalliTraced = {
  name: '@dalli/core + tracing subscriber',
  open: dalli.open,
  beforeRun: () => tracingChannel('dalli:command').subscribe(noop),
  afterRun: () => tracingChannel('dalli:command').unsubscribe(noop),
};
