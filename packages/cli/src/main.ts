import { parseArgs } from 'node:util';
import { Client, type ClientOptions } from '@dalli/core';
import type { Command, CommandContext } from './command.ts';
import { COMMANDS } from './commands/index.ts';
import { connectionFlags, connectionSettings } from './connection-flags.ts';
import { discoveredSettings } from './discovered-servers.ts';
import { ExitCode, errorLine, exitCodeFor, UsageError } from './exit-codes.ts';
import { commandHelp, generalHelp } from './help.ts';
import { type Io, processIo } from './io.ts';
import { packageVersion } from './version.ts';

/**
 * Runs `dalli` with `argv` (the arguments after the program name) and resolves its exit code.
 * Errors are printed as one line on stderr, never with a stack.
 */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(generalHelp());
    return name === undefined ? ExitCode.usage : ExitCode.ok;
  }
  if (name === '--version') {
    io.stdout.write(`${packageVersion()}\n`);
    return ExitCode.ok;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (command === undefined) {
    io.stderr.write(errorLine(`unknown command "${name}"; see dalli --help`));
    return ExitCode.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(commandHelp(command));
    return ExitCode.ok;
  }
  const clients: Client[] = [];
  try {
    return await command.run(await contextFor(command, rest, io, clients));
  } catch (error) {
    io.stderr.write(errorLine(error));
    return exitCodeFor(error);
  } finally {
    await Promise.allSettled(clients.map((client) => client.close()));
  }
}

async function contextFor(
  command: Command,
  argv: readonly string[],
  io: Io,
  clients: Client[],
): Promise<CommandContext> {
  if (argv.some((arg) => arg === '--password' || arg.startsWith('--password='))) {
    throw new UsageError('--password is not accepted (it would show in the process list); set MEMCACHE_PASSWORD');
  }
  const { values, positionals } = parseFlags(command, argv);
  const connection = await discoveredSettings(connectionSettings(values, io.env));
  return {
    args: positionals,
    flags: values,
    io,
    connection,
    client(overrides: ClientOptions = {}, servers = connection.servers) {
      const client = new Client(servers, { ...connection.options, ...overrides });
      clients.push(client);
      return client;
    },
  };
}

function parseFlags(command: Command, argv: readonly string[]): ReturnType<typeof parseArgs> {
  try {
    return parseArgs({
      args: [...argv],
      options: { ...connectionFlags, ...command.flags },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`${command.name}: ${(error as Error).message}`);
  }
}
