import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EXPOSITION_CONTENT_TYPE } from '@dalli/otel/prometheus';

/**
 * The exporter's HTTP server: `/metrics` answers with what `scrape()` renders (a fresh probe of
 * every server per request, as Prometheus exporters do), anything else with 404.
 */
export class ExporterServer {
  readonly #http: Server;
  readonly #scrape: () => Promise<string>;

  constructor(scrape: () => Promise<string>) {
    this.#scrape = scrape;
    this.#http = createServer((request, response) => void this.#handle(request, response));
  }

  /** Starts listening; resolves the port (useful with port 0). */
  async listen(host: string, port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#http.once('error', reject);
      this.#http.listen(port, host, () => resolve());
    });
    return (this.#http.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#http.close(() => resolve()));
    // A scraper's keep-alive connection would otherwise hold the process open.
    this.#http.closeAllConnections();
    await closed;
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: scrape /metrics\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    try {
      const body = await this.#scrape();
      response.writeHead(200, { 'content-type': EXPOSITION_CONTENT_TYPE, 'cache-control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : body);
    } catch (error) {
      response.writeHead(500, { 'content-type': 'text/plain' }).end(`scrape failed: ${String(error)}\n`);
    }
  }
}
