import { MORE_FRAMES } from '../dispatch/operation-exchange.ts';
import { type ResponseFrame, responseKey, responseText, Status } from '../protocol/binary/index.ts';
import { type DecodeContext, serverError } from './decoders.ts';

/**
 * STAT: memcached answers with one frame per statistic and an empty frame to end. The frames are
 * gathered in a record kept beside the exchange, looked up by the exchange itself.
 */
const gathered = new WeakMap<DecodeContext, Record<string, string>>();

export function decodeStat(frame: ResponseFrame, context: DecodeContext): Record<string, string> | typeof MORE_FRAMES {
  if (frame.status !== Status.noError) throw serverError(frame, context);
  let stats = gathered.get(context);
  if (stats === undefined) {
    stats = {};
    gathered.set(context, stats);
  }
  if (frame.keyLength === 0) {
    gathered.delete(context);
    return stats;
  }
  stats[responseKey(frame).toString('utf8')] = responseText(frame);
  return MORE_FRAMES;
}
