import { startMemcached } from '@dalli/test-utils';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { DalliSessionStore } from '../src/index.ts';
import { sessionApp } from './app.ts';

const flakyOptions = { socketTimeout: 0.2, socketMaxFailures: 1, downRetryDelay: 0.2 };

describe('when memcached fails', () => {
  it('every request gets a 500 naming the memcached error, never a request without a session', async () => {
    const down = await startMemcached();
    const store = new DalliSessionStore({ servers: down.address, clientOptions: flakyOptions });
    const events: string[] = [];
    store.on('disconnect', () => events.push('disconnect'));
    const agent = request.agent(sessionApp(5, store));
    await agent.get('/login?user=ada').expect(200);
    down.signal('SIGKILL');
    await expect.poll(() => down.running).toBe(false);
    // /count is the README's route: it reads req.session, which would be undefined without a store.
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await agent.get('/count')).body.error);
    expect(codes).toEqual(codes.map(() => expect.stringMatching(/^ERR_DALLI_/)));
    expect(events).toEqual([]);
    await store.close();
    await down.stop();
  });

  it('serves sessions again once the server is back', async () => {
    const flaky = await startMemcached();
    const store = new DalliSessionStore({ servers: flaky.address, clientOptions: flakyOptions });
    const agent = request.agent(sessionApp(5, store));
    await agent.get('/login?user=ada').expect(200);
    flaky.signal('SIGKILL');
    await expect.poll(() => flaky.running).toBe(false);
    await agent.get('/count').expect(500);
    await flaky.restart();
    // The restarted server is empty: the user is logged out, but gets sessions again.
    await expect
      .poll(async () => (await agent.get('/login?user=grace')).status, { timeout: 5_000, interval: 100 })
      .toBe(200);
    expect((await agent.get('/whoami').expect(200)).body.user).toBe('grace');
    await store.close();
    await flaky.stop();
  });

  it('a route that saves explicitly answers 500 when the save fails', async () => {
    const down = await startMemcached();
    const store = new DalliSessionStore({ servers: down.address, clientOptions: flakyOptions });
    const agent = request.agent(sessionApp(5, store));
    await agent.get('/count').expect(200);
    down.signal('SIGKILL');
    await expect.poll(() => down.running).toBe(false);
    const response = await request(sessionApp(5, store)).get('/login-and-save?user=ada');
    expect(response.status).toBe(500);
    expect(response.body.error).toMatch(/^ERR_DALLI_/);
    await store.close();
    await down.stop();
  });
});
