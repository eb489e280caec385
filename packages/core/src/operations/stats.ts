import { type ResponseFrame, responseKey, responseText, Status } from '../protocol/index.ts';
import { type DecodeContext, serverError } from './decoders.ts';
import { MORE_FRAMES, OperationExchange } from './operation-exchange.ts';

/** A STAT request: memcached answers with one frame per statistic and an empty frame to end. */
export class StatsExchange extends OperationExchange<Record<string, string>> {
  readonly stats: Record<string, string> = {};
}

export function decodeStat(frame: ResponseFrame, context: DecodeContext): Record<string, string> | typeof MORE_FRAMES {
  if (frame.status !== Status.noError) throw serverError(frame, context);
  const { stats } = context as StatsExchange;
  if (frame.keyLength === 0) return stats;
  stats[responseKey(frame).toString('utf8')] = responseText(frame);
  return MORE_FRAMES;
}
