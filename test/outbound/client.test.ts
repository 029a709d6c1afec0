import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboundClient } from '../../src/outbound/client.ts';
import { OutboundPolicy, parseAllowlist, type Resolver } from '../../src/outbound/policy.ts';

// No real DNS and no packet to a refused address: names resolve through this table, and the
// refusal tests sit on a socket layer that only records what would have been dialled.
const table: Record<string, string[]> = {
  'loopback.example': ['127.0.0.1'],
  'private.example': ['10.0.0.1'],
  'metadata.example': ['169.254.169.254'],
  'v6-loopback.example': ['::1'],
  'mixed.example': ['93.184.216.34', '10.0.0.1'],
  'mapped.example': ['::ffff:127.0.0.1'],
};
const resolver: Resolver = async (name) => {
  const found = table[name];
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

function recordingClient(allowlist = '') {
  const dialled: string[] = [];
  const client = new OutboundClient({
    policy: new OutboundPolicy(parseAllowlist(allowlist), resolver),
    baseConnector: (opts, callback) => {
      dialled.push(`${opts.hostname}:${opts.port}`);
      callback(new Error('the test socket layer never connects'), null);
    },
  });
  return { client, dialled };
}

let server: Server;
let port: number;
let other: Server;
let otherPort: number;
const listen = (s: Server) => new Promise<number>((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port)));

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/to-other') return void res.writeHead(302, { location: `http://127.0.0.1:${otherPort}/` }).end();
    if (req.url === '/to-metadata') return void res.writeHead(307, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    if (req.url === '/big') return void res.end('x'.repeat(10_000));
    res.end(`hello ${req.method}`);
  });
  other = createServer((_req, res) => res.end('other'));
  port = await listen(server);
  otherPort = await listen(other);
});
afterAll(() => {
  server.close();
  other.close();
});

describe('outbound client', () => {
  it.each(['http://127.0.0.1/', 'http://10.0.0.1/', 'http://169.254.169.254/latest/meta-data/', 'http://[::1]:8080/', 'http://0.0.0.0/', 'http://[::ffff:10.0.0.1]/'])(
    'when a request goes to %s, then it is refused before anything is dialled',
    async (url) => {
      const { client, dialled } = recordingClient();
      await expect(client.send({ method: 'POST', url, body: '{}' })).rejects.toMatchObject({ code: 'outbound-refused' });
      expect(dialled).toEqual([]);
    },
  );

  it.each(['loopback.example', 'private.example', 'metadata.example', 'v6-loopback.example', 'mixed.example', 'mapped.example'])(
    'when a name resolves to a non-public address (%s), then it is refused before anything is dialled',
    async (name) => {
      const { client, dialled } = recordingClient();
      const err = await client.send({ method: 'GET', url: `https://${name}/hook` }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'outbound-refused', message: expect.stringContaining(`${name} resolves to`) });
      expect(dialled).toEqual([]);
    },
  );

  it('when a name resolves to a public address, then exactly that address is dialled (no second look-up)', async () => {
    table['public.example'] = ['93.184.216.34'];
    const { client, dialled } = recordingClient();
    await expect(client.send({ method: 'GET', url: 'https://public.example/hook' })).rejects.toThrow();
    expect(dialled).toEqual(['93.184.216.34:443']);
  });

  it('when the local receiver is allow-listed by host:port, then the request reaches it', async () => {
    const client = new OutboundClient({ policy: new OutboundPolicy(parseAllowlist(`127.0.0.1:${port}`), resolver) });
    const res = await client.send({ method: 'POST', url: `http://127.0.0.1:${port}/hook`, body: '{}' });
    expect(res).toMatchObject({ status: 200, body: 'hello POST', truncated: false });
    await client.close();
  });

  it('when a CIDR is allow-listed, then a name resolving into it is reached', async () => {
    const client = new OutboundClient({ policy: new OutboundPolicy(parseAllowlist('127.0.0.0/8'), resolver) });
    const res = await client.send({ method: 'GET', url: `http://loopback.example:${port}/` });
    expect(res.body).toBe('hello GET');
    await client.close();
  });

  it('when an allow-listed receiver redirects to a loopback port that is not allow-listed, then the redirect is refused', async () => {
    const client = new OutboundClient({ policy: new OutboundPolicy(parseAllowlist(`127.0.0.1:${port}`), resolver) });
    await expect(client.send({ method: 'POST', url: `http://127.0.0.1:${port}/to-other`, body: '{}' })).rejects.toMatchObject({
      code: 'outbound-refused', message: expect.stringContaining(`127.0.0.1 (loopback)`),
    });
    await client.close();
  });

  it('when an allow-listed receiver redirects to the metadata address, then the redirect is refused', async () => {
    const client = new OutboundClient({ policy: new OutboundPolicy(parseAllowlist(`127.0.0.1:${port}`), resolver) });
    await expect(client.send({ method: 'POST', url: `http://127.0.0.1:${port}/to-metadata`, body: '{}' })).rejects.toMatchObject({
      code: 'outbound-refused', message: expect.stringContaining('169.254.169.254 (linkLocal)'),
    });
    await client.close();
  });

  it('when both ports are allow-listed, then the redirect is followed', async () => {
    const client = new OutboundClient({ policy: new OutboundPolicy(parseAllowlist(`127.0.0.1:${port},127.0.0.1:${otherPort}`), resolver) });
    const res = await client.send({ method: 'POST', url: `http://127.0.0.1:${port}/to-other`, body: '{}' });
    expect(res.body).toBe('other');
    expect(res.urls).toHaveLength(2);
    await client.close();
  });

  it('when the answer is larger than the cap, then only the cap is kept', async () => {
    const client = new OutboundClient({ policy: new OutboundPolicy(parseAllowlist('127.0.0.1'), resolver), maxResponseBytes: 100 });
    const res = await client.send({ method: 'GET', url: `http://127.0.0.1:${port}/big` });
    expect(res).toMatchObject({ status: 200, truncated: true });
    expect(res.body).toHaveLength(100);
    await client.close();
  });

  it('when OUTBOUND_ALLOWLIST holds something that is not a host, host:port or CIDR, then it is refused with the part named', () => {
    expect(() => parseAllowlist('hooks.internal, 10.0.0.0/33')).toThrow(/"10.0.0.0\/33" is not a CIDR/);
    expect(() => parseAllowlist('bad host')).toThrow(/"bad host" is not host/);
    expect(parseAllowlist('hooks.internal:8443, [::1]:9000, ::1, 10.1.0.0/16').hosts).toEqual([
      { host: 'hooks.internal', port: 8443 }, { host: '::1', port: 9000 }, { host: '::1', port: null },
    ]);
  });
});
