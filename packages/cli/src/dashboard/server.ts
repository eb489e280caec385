import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KeyRow } from '../top-keys.ts';
import type { ServerRow } from '../top-sampler.ts';
import { APP_JS, PAGE_HTML } from './page.ts';

/** One sample of every server, as sent to the page. */
export interface DashboardFrame {
  /** When it was taken, ms since the epoch. */
  readonly at: number;
  readonly rows: readonly ServerRow[];
  /** With `--keys`: each server's most fetched keys in the last sample (`watch fetchers`), or why it refused. */
  readonly keys?: readonly KeyRow[] | undefined;
}

const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'",
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};

/**
 * The dashboard's HTTP server: the page, its script, and `/events`, a server-sent event stream of
 * frames. Listens on 127.0.0.1 only, and answers only requests addressed to 127.0.0.1 or
 * localhost, so a web page elsewhere cannot reach it by DNS rebinding.
 */
export class DashboardServer {
  readonly #http: Server;
  readonly #listeners = new Set<ServerResponse>();
  #latest: DashboardFrame | undefined;

  constructor() {
    this.#http = createServer((request, response) => this.#handle(request, response));
  }

  /** Starts listening; resolves the port (useful with port 0). */
  async listen(port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#http.once('error', reject);
      this.#http.listen(port, '127.0.0.1', () => resolve());
    });
    return (this.#http.address() as AddressInfo).port;
  }

  /** Sends a frame to every open page, and keeps it for pages that connect later. */
  publish(frame: DashboardFrame): void {
    this.#latest = frame;
    const event = `data: ${JSON.stringify(frame)}\n\n`;
    for (const listener of this.#listeners) listener.write(event);
  }

  async close(): Promise<void> {
    for (const listener of this.#listeners) listener.end();
    const closed = new Promise<void>((resolve) => this.#http.close(() => resolve()));
    // An idle keep-alive connection of a browser would otherwise hold the process open.
    this.#http.closeAllConnections();
    await closed;
  }

  #handle(request: IncomingMessage, response: ServerResponse): void {
    const port = (this.#http.address() as AddressInfo).port;
    if (request.headers.host !== `127.0.0.1:${port}` && request.headers.host !== `localhost:${port}`) {
      response.writeHead(403, SECURITY_HEADERS).end(`forbidden: open http://127.0.0.1:${port}/\n`);
      return;
    }
    if (request.method !== 'GET') {
      response.writeHead(405, { ...SECURITY_HEADERS, allow: 'GET' }).end();
      return;
    }
    if (request.url === '/')
      response.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8' }).end(PAGE_HTML);
    else if (request.url === '/app.js')
      response.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/javascript' }).end(APP_JS);
    else if (request.url === '/events') this.#subscribe(response);
    else response.writeHead(404, SECURITY_HEADERS).end('not found\n');
  }

  #subscribe(response: ServerResponse): void {
    response.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream', connection: 'keep-alive' });
    response.write('retry: 2000\n\n');
    if (this.#latest !== undefined) response.write(`data: ${JSON.stringify(this.#latest)}\n\n`);
    this.#listeners.add(response);
    response.once('close', () => this.#listeners.delete(response));
  }
}
