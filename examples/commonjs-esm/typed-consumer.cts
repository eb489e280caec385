// A TypeScript file compiled as CommonJS (.cts, "module": "nodenext"), written the way
// `verbatimModuleSyntax` wants CommonJS: `import … = require()`. `npm run typecheck` checks it,
// so the package's declarations keep working for CommonJS TypeScript projects.
import type { ClientOptions } from '@dalli/core';

import dalli = require('@dalli/core');

const options: ClientOptions = { namespace: 'app', socketTimeout: 0.5 };

async function readGreeting(servers: string): Promise<string | undefined> {
  const client = new dalli.Client(servers, options);
  try {
    const value = await client.get('greeting');
    return typeof value === 'string' ? value : undefined;
  } catch (error) {
    if (error instanceof dalli.InvalidKeyError) return undefined;
    throw error;
  } finally {
    await client.close();
  }
}

export = readGreeting;
