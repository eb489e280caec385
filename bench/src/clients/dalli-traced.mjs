import { tracingChannel } from 'node:diagnostics_channel';
import { dalli } from './dalli.mjs';

/** A subscriber that does nothing: what tracing costs the client itself. */
const noop = { start() {}, end() {}, asyncStart() {}, asyncEnd() {}, error() {} };

/** @dalli/core with a `dalli:command` tracing subscriber attached. */
export const dalliTraced = {
  name: '@dalli/core + tracing subscriber',
  async open(addresses) {
    tracingChannel('dalli:command').subscribe(noop);
    return dalli.open(addresses);
  },
};
