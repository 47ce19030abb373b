import dns from 'node:dns';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { UrlVerdict } from '@refrain/core';
import { startDeliveries, startReceiver, until, type DeliveryFixture, type Receiver } from './support/delivery-fixture';

// Issue #17, findings 3 and 4, and the "no redirects" rule. Every receiver is on loopback;
// the rebinding name is answered by a patched dns.lookup, never by real DNS.
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});
const receiver = async (...args: Parameters<typeof startReceiver>) => {
  const r = await startReceiver(...args);
  open.push(r);
  return r;
};
const firstAttempt = (f: DeliveryFixture, id: string, ms: number) =>
  until(async () => (await f.delivery(id))?.attempts[0], ms, `first attempt of ${id}`);

describe('a slow receiver (finding 3)', () => {
  let f: DeliveryFixture;
  beforeAll(async () => {
    f = await startDeliveries({ webhookDeadlineMs: 1500 });
  });
  afterAll(async () => {
    await f?.stop();
  });

  it('that trickles its body a byte at a time is cut at the hard deadline', async () => {
    const trickle = await receiver((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.flushHeaders();
      const t = setInterval(() => res.write('x'), 200);
      res.on('close', () => clearInterval(t));
    });
    const started = Date.now();
    const id = await f.send('slow', trickle.url);
    const attempt = await firstAttempt(f, id, 8000);
    // Before: bodyTimeout restarted with every byte, and the body was read up to 128 KiB.
    expect(Date.now() - started).toBeLessThan(6000);
    expect(attempt.duration_ms).toBeLessThan(1500 + 2000);
    expect(attempt.status).toBe(200);
    expect((await f.delivery(id))!.status).toBe('delivered');
  });

  it('that trickles its headers is cut too, with a plain "timed out"', async () => {
    const sockets = new Set<net.Socket>();
    const server = net.createServer((socket) => {
      sockets.add(socket);
      socket.once('data', () => {
        socket.write('HTTP/1.1 200 OK\r\n');
        const t = setInterval(() => socket.write('X-Slow: y\r\n'), 200);
        socket.on('close', () => clearInterval(t));
        socket.on('error', () => clearInterval(t));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    open.push({
      close: () =>
        new Promise<void>((r) => {
          server.close(() => r());
          for (const s of sockets) s.destroy();
        }),
    });
    const id = await f.send('slow', `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/hook`);
    const attempt = await firstAttempt(f, id, 8000);
    expect(attempt.duration_ms).toBeLessThan(1500 + 2000);
    expect(attempt).toMatchObject({ status: null, error: 'timed out after 1.5 s' });
  });

  it('that answers a large body is read no further than needed', async () => {
    const big = await receiver((_req, res) => {
      res.writeHead(200);
      res.end('y'.repeat(4 * 1024 * 1024));
    });
    const id = await f.send('slow', big.url);
    const attempt = await firstAttempt(f, id, 8000);
    expect(attempt.status).toBe(200);
  });
});

describe('delivery slots are shared fairly between tenants (finding 3)', () => {
  let f: DeliveryFixture;
  beforeAll(async () => {
    f = await startDeliveries({ webhookDeadlineMs: 4000 });
  });
  afterAll(async () => {
    await f?.stop();
  });

  it("keeps one tenant's hanging receivers from holding every slot", async () => {
    // Accepts the connection and never answers: each attempt lasts until the deadline.
    const hanging = await receiver(() => {});
    const quick = await receiver((_req, res) => res.writeHead(204).end());
    for (let i = 0; i < 30; i++) await f.send('greedy', hanging.url);
    await until(async () => hanging.hits >= 5, 5000, 'the greedy attempts to start');
    const enqueued = Date.now();
    const id = await f.send('patient', quick.url);
    await until(async () => (await f.delivery(id))?.status === 'delivered', 10_000, 'the other tenant to be served');
    // Before: 20 of 20 slots held by the greedy tenant, the other waited out their 10 s.
    expect(Date.now() - enqueued).toBeLessThan(3000);
    // The greedy tenant had at most its share (5) in flight at once.
    expect(hanging.hits).toBeLessThanOrEqual(10);
  });
});

describe('where a delivery connects (finding 4) and what it records', () => {
  let f: DeliveryFixture;
  let approved: Record<string, string[]> = {};
  beforeAll(async () => {
    // The guard's answer for each URL's host: what the connection must use.
    const urlGuard = async (raw: string): Promise<UrlVerdict> => {
      const url = new URL(raw);
      const addresses = approved[url.hostname];
      return addresses ? { allowed: true, url, addresses } : { allowed: false, reason: `${url.hostname} does not resolve to a public address` };
    };
    f = await startDeliveries({ webhookDeadlineMs: 3000, urlGuard });
  });
  afterAll(async () => {
    await f?.stop();
  });

  it('connects to the address the guard judged, never to a second answer for the name', async () => {
    // Two receivers on one port: 127.0.0.1 is what the guard approved; 127.0.0.2 stands
    // for the internal host a TTL-0 name answers the second time it is asked.
    const inside = await receiver((_req, res) => res.writeHead(200).end(), { host: '127.0.0.2' });
    const checked = await receiver((_req, res) => res.writeHead(200).end(), { host: '127.0.0.1', port: inside.port });
    const asked: string[] = [];
    const original = dns.lookup;
    dns.lookup = ((host: string, options: unknown, callback?: unknown) => {
      const cb = (typeof options === 'function' ? options : callback) as (...a: unknown[]) => void;
      const opts = (typeof options === 'object' && options) || {};
      if (host !== 'hooks.rebind.test') return (original as (...a: unknown[]) => void)(host, options, callback);
      asked.push(host);
      return (opts as { all?: boolean }).all ? cb(null, [{ address: '127.0.0.2', family: 4 }]) : cb(null, '127.0.0.2', 4);
    }) as typeof dns.lookup;
    try {
      approved = { 'hooks.rebind.test': ['127.0.0.1'] };
      const id = await f.send('alpha', `http://hooks.rebind.test:${inside.port}/hook`);
      const attempt = await firstAttempt(f, id, 8000);
      expect(attempt.status).toBe(200);
      expect(checked.hits).toBe(1);
      expect(inside.hits).toBe(0);
      expect(asked).toEqual([]);
    } finally {
      dns.lookup = original;
    }
  });

  it('records a refusal with the guard\'s one reason, and sends nothing', async () => {
    approved = {};
    const id = await f.send('alpha', 'https://hooks.internal.test/hook');
    const attempt = await firstAttempt(f, id, 8000);
    expect(attempt).toMatchObject({ status: null, error: 'refused: hooks.internal.test does not resolve to a public address' });
    expect((await f.delivery(id))!.status).toBe('failed');
  });

  it('records a failed connection without the address, port or socket error', async () => {
    const closed = await receiver(() => {});
    const port = closed.port;
    await closed.close();
    approved = { 'hooks.closed.test': ['127.0.0.1'] };
    const id = await f.send('alpha', `http://hooks.closed.test:${port}/hook`);
    const attempt = await firstAttempt(f, id, 8000);
    expect(attempt).toMatchObject({ status: null, error: 'connection failed' });
    expect(JSON.stringify(await f.delivery(id))).not.toMatch(/ECONN|127\.0\.0\.1|refused/);
  });

  it('does not follow a redirect', async () => {
    const target: Receiver = await receiver((_req, res) => res.writeHead(200).end());
    const redirecting = await receiver((_req, res) => res.writeHead(307, { location: target.url }).end());
    approved = { 'hooks.redirect.test': ['127.0.0.1'] };
    const id = await f.send('alpha', `http://hooks.redirect.test:${redirecting.port}/hook`);
    const attempt = await firstAttempt(f, id, 8000);
    expect(attempt.status).toBe(307);
    expect((await f.delivery(id))!.status).toBe('pending');
    await new Promise((r) => setTimeout(r, 300));
    expect(target.hits).toBe(0);
  });
});
