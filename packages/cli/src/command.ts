import type { ParseArgsConfig } from 'node:util';
import type { Client, ClientOptions } from '@dalli/core';
import type { ConnectionSettings } from './connection-flags.ts';
import type { ExitCode } from './exit-codes.ts';
import type { FlagValues } from './flag-values.ts';
import type { Io } from './io.ts';

export type { FlagValues } from './flag-values.ts';

/** What a command is given to run. */
export interface CommandContext {
  /** Positional arguments after the command name. */
  readonly args: readonly string[];
  readonly flags: FlagValues;
  readonly io: Io;
  readonly connection: ConnectionSettings;
  /** A client over the servers (closed when the command ends), with `overrides` on the flags' options. */
  client(overrides?: ClientOptions, servers?: readonly string[]): Client;
}

/** One `dalli` subcommand: its help and how it runs. */
export interface Command {
  readonly name: string;
  /** Arguments and own flags, e.g. `<key> [--raw]`. */
  readonly usage: string;
  readonly summary: string;
  /** A command line that works, shown in `--help`. */
  readonly example: string;
  readonly flags?: NonNullable<ParseArgsConfig['options']>;
  run(context: CommandContext): Promise<ExitCode>;
}
