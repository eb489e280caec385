import type { Command } from '../command.ts';
import { decr, incr } from './counter.ts';
import { dashboard } from './dashboard.ts';
import { del } from './delete.ts';
import { exporter } from './exporter.ts';
import { flush } from './flush.ts';
import { get } from './get.ts';
import { keys } from './keys.ts';
import { locate } from './locate.ts';
import { ring } from './ring.ts';
import { set } from './set.ts';
import { stats } from './stats.ts';
import { top } from './top.ts';
import { touch } from './touch.ts';

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [
  locate,
  get,
  set,
  del,
  touch,
  incr,
  decr,
  stats,
  top,
  keys,
  ring,
  flush,
  dashboard,
  exporter,
];
