import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * A SASL username and password. The password stays in a private field: `util.inspect`,
 * `JSON.stringify` and string conversion all show it redacted, so logging an object that holds
 * credentials cannot leak it.
 */
export class SaslCredentials {
  readonly username: string;
  readonly #password: string;

  constructor(username: string, password: string) {
    this.username = username;
    this.#password = password;
  }

  /** The password, for the SASL PLAIN frame and nothing else. */
  reveal(): string {
    return this.#password;
  }

  toJSON(): { username: string; password: string } {
    return { username: this.username, password: REDACTED };
  }

  toString(): string {
    return `SaslCredentials(${this.username})`;
  }
}

// util.inspect's hook, attached outside the class body: a computed member name there would keep
// the type declarations from being generated file by file (isolatedDeclarations).
Object.defineProperty(SaslCredentials.prototype, inspect.custom, {
  value(this: SaslCredentials): string {
    return `SaslCredentials { username: ${JSON.stringify(this.username)}, password: ${REDACTED} }`;
  },
});
