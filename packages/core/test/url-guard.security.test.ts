import { describe, expect, it } from 'vitest';
import { checkUrl, checkUrlLiteral, classifyAddress, pinnedLookup, type HostResolver } from '../src';

// Literal addresses and a fake resolver only: these tests never open a socket.
const fakeDns = (table: Record<string, string[]>): HostResolver => async (host) => {
  const found = table[host];
  if (!found) throw Object.assign(new Error(`ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return found;
};

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['fc00::1', 'private'],
    ['fdff:ffff::1', 'private'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    ['169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['240.0.0.1', 'reserved'],
    // Issue #17, finding 6: ranges that were counted as public.
    ['::ffff:0:127.0.0.1', 'loopback'], // IPv4-translated (RFC 2765)
    ['::ffff:0:a9fe:a9fe', 'metadata'],
    ['::ffff:0:10.0.0.1', 'private'],
    ['64:ff9b:1::a00:1', 'reserved'], // local-use NAT64 (RFC 8215)
    ['64:ff9b:1:ffff::1', 'reserved'],
    ['2002:7f00:1::', 'loopback'], // 6to4 of 127.0.0.1
    ['2002:a00:1::1', 'private'], // 6to4 of 10.0.0.1
    ['2002:a9fe:a9fe::', 'metadata'],
    ['2001::1', 'reserved'], // Teredo
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'reserved'],
    ['fec0::1', 'private'], // site-local
    ['feff::1', 'private'],
    ['192.88.99.1', 'reserved'], // 6to4 relay anycast
    ['2001:2::1', 'reserved'],
    ['2001:10::1', 'reserved'],
    ['3fff::1', 'reserved'],
  ])('%s is %s', (ip, cls) => {
    expect(classifyAddress(ip)).toBe(cls);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '172.15.255.255', '100.128.0.1', '100.63.255.255', '11.0.0.1', '2606:4700::1111', '192.88.100.1', '2002:5db8:d822::1', '2003::1'])(
    '%s is public',
    (ip) => {
      expect(classifyAddress(ip)).toBe('public');
    },
  );

  it('sees the IPv4 inside mapped, compatible and NAT64 IPv6 addresses', () => {
    expect(classifyAddress('::ffff:127.0.0.1')).toBe('loopback');
    expect(classifyAddress('::ffff:7f00:1')).toBe('loopback');
    expect(classifyAddress('::ffff:10.1.2.3')).toBe('private');
    expect(classifyAddress('::ffff:169.254.169.254')).toBe('metadata');
    expect(classifyAddress('::10.0.0.1')).toBe('private');
    expect(classifyAddress('64:ff9b::192.168.0.1')).toBe('private');
    expect(classifyAddress('::ffff:8.8.8.8')).toBe('public');
    expect(classifyAddress('0:0:0:0:0:ffff:c0a8:0101')).toBe('private');
  });

  it('answers null for what is not an address', () => {
    for (const s of ['', 'example.com', '1.2.3', '1.2.3.4.5', '256.1.1.1', '1::2::3', 'gggg::1', '1:2:3:4:5:6:7:8:9']) {
      expect(classifyAddress(s)).toBeNull();
    }
  });
});

describe('checkUrlLiteral', () => {
  const refused = (url: string, allowLoopback = false) => {
    const v = checkUrlLiteral(url, { allowLoopback });
    expect(v.allowed, url).toBe(false);
    return v.allowed ? '' : v.reason;
  };

  it('allows https to public addresses and leaves names to DNS', () => {
    expect(checkUrlLiteral('https://8.8.8.8/a.mp3')).toMatchObject({ allowed: true });
    expect(checkUrlLiteral('https://[2606:4700::1111]/a.mp3')).toMatchObject({ allowed: true });
    expect(checkUrlLiteral('https://cdn.example.com/a.mp3')).toMatchObject({ allowed: true, host: 'cdn.example.com' });
  });

  it('refuses other schemes, plain http and credentials', () => {
    expect(refused('http://8.8.8.8/a.mp3')).toMatch(/https/);
    expect(refused('http://cdn.example.com/a.mp3')).toMatch(/https/);
    expect(refused('ftp://8.8.8.8/a.mp3')).toMatch(/scheme/);
    expect(refused('file:///etc/passwd')).toMatch(/scheme/);
    expect(refused('gopher://8.8.8.8/')).toMatch(/scheme/);
    expect(refused('https://user:pw@8.8.8.8/')).toMatch(/credentials/);
    expect(refused('not a url')).toMatch(/valid/);
  });

  it('refuses every blocked range as a literal host, however it is spelled', () => {
    for (const url of [
      'https://127.0.0.1/',
      'https://127.1/',
      'https://2130706433/',
      'https://0x7f000001/',
      'https://0177.0.0.1/',
      'https://[::1]/',
      'https://[::ffff:127.0.0.1]/',
      'https://localhost/',
      'https://LOCALHOST./',
      'https://api.localhost/',
      'https://10.0.0.1/',
      'https://172.16.5.4/',
      'https://192.168.0.10/',
      'https://[fc00::1]/',
      'https://169.254.169.254/latest/meta-data/',
      'https://[fd00:ec2::254]/',
      'https://169.254.10.10/',
      'https://[fe80::1]/',
      'https://100.64.1.1/',
      'https://0.0.0.0/',
      'https://224.0.0.1/',
      'https://[ff02::1]/',
    ]) {
      expect(refused(url)).toMatch(/address/);
    }
  });

  it('with allowLoopback, lets http and https to loopback through, and nothing else', () => {
    for (const url of ['http://127.0.0.1:4000/x', 'https://127.0.0.1/x', 'http://127.9.9.9/', 'http://[::1]:80/', 'http://localhost:3000/a.wav']) {
      expect(checkUrlLiteral(url, { allowLoopback: true }), url).toMatchObject({ allowed: true });
    }
    expect(refused('http://10.0.0.1/', true)).toMatch(/https/);
    expect(refused('https://10.0.0.1/', true)).toMatch(/private/);
    expect(refused('https://169.254.169.254/', true)).toMatch(/metadata/);
    expect(refused('http://8.8.8.8/', true)).toMatch(/https/);
  });
});

describe('checkUrl with a resolver', () => {
  const dns = fakeDns({
    'cdn.example.com': ['93.184.216.34', '2606:2800:220:1::1'],
    'internal.example.com': ['10.1.2.3'],
    'rebind.example.com': ['93.184.216.34', '127.0.0.1'],
    'meta.example.com': ['169.254.169.254'],
    'v6-private.example.com': ['fd12::1'],
    'mapped.example.com': ['::ffff:192.168.1.1'],
    'empty.example.com': [],
    'garbage.example.com': ['not-an-ip'],
  });

  it('allows a name whose every address is public, and says which addresses it judged', async () => {
    await expect(checkUrl('https://cdn.example.com/a.mp3', { resolve: dns })).resolves.toMatchObject({
      allowed: true,
      addresses: ['93.184.216.34', '2606:2800:220:1::1'],
    });
    await expect(checkUrl('https://8.8.8.8/a.mp3', { resolve: dns })).resolves.toMatchObject({ allowed: true, addresses: ['8.8.8.8'] });
  });

  it.each([
    'https://internal.example.com/a.mp3',
    'https://rebind.example.com/a.mp3',
    'https://meta.example.com/a.mp3',
    'https://v6-private.example.com/',
    'https://mapped.example.com/',
    'https://empty.example.com/',
    'https://missing.example.com/',
    'https://garbage.example.com/',
  ])('refuses %s with the one reason names get (finding 10)', async (url) => {
    const v = await checkUrl(url, { resolve: dns });
    expect(v.allowed).toBe(false);
    // The same words whether the name is unknown or points inside: no map of what the resolver knows.
    expect(v.allowed ? '' : v.reason).toBe(`${new URL(url).hostname} does not resolve to a public address`);
  });

  it('names the address class of a literal host (the tenant wrote it, nothing is revealed)', async () => {
    const v = await checkUrl('https://10.0.0.1/', { resolve: dns });
    expect(v.allowed ? '' : v.reason).toBe('10.0.0.1 is a private address');
  });

  it('does not trust DNS for loopback even when literal loopback is allowed', async () => {
    const v = await checkUrl('https://rebind.example.com/', { resolve: dns, allowLoopback: true });
    expect(v.allowed).toBe(false);
  });

  it('never asks the resolver about literal hosts', async () => {
    const asked: string[] = [];
    const spy: HostResolver = async (h) => {
      asked.push(h);
      return ['93.184.216.34'];
    };
    await checkUrl('https://10.0.0.1/', { resolve: spy });
    await checkUrl('http://127.0.0.1/', { resolve: spy, allowLoopback: true });
    await checkUrl('https://localhost/', { resolve: spy });
    expect(asked).toEqual([]);
  });
});

type LookupAnswer = { err: NodeJS.ErrnoException | null; address: unknown; family?: number };
const ask = (lookup: ReturnType<typeof pinnedLookup>, host: string, options: { all?: boolean; family?: number }) =>
  new Promise<LookupAnswer>((resolve) => lookup(host, options, (err, address, family) => resolve({ err, address, family })));

describe('DNS rebinding (finding 4): connect where the guard looked', () => {
  // A name with TTL 0: public to the first question, the metadata service to the next.
  const rebinding = () => {
    const answers = [['93.184.216.34'], ['169.254.169.254'], ['127.0.0.1']];
    const asked: string[] = [];
    const resolve: HostResolver = async (host) => {
      asked.push(host);
      return answers[Math.min(asked.length - 1, answers.length - 1)]!;
    };
    return { resolve, asked };
  };

  it('hands the socket the addresses the guard judged, and never asks DNS again', async () => {
    const dns = rebinding();
    const v = await checkUrl('https://hooks.rebind.example/in', { resolve: dns.resolve });
    expect(v).toMatchObject({ allowed: true, addresses: ['93.184.216.34'] });
    const lookup = pinnedLookup(v.allowed ? v.addresses! : []);
    // However often the socket asks (undici asks with all: true on Node 20), the answer stays.
    for (let i = 0; i < 3; i++) {
      expect(await ask(lookup, 'hooks.rebind.example', {})).toEqual({ err: null, address: '93.184.216.34', family: 4 });
      expect((await ask(lookup, 'hooks.rebind.example', { all: true })).address).toEqual([{ address: '93.184.216.34', family: 4 }]);
    }
    expect(dns.asked).toEqual(['hooks.rebind.example']);
  });

  it('answers only the family asked for, and an error when none was checked', async () => {
    const lookup = pinnedLookup(['93.184.216.34', '2606:2800:220:1::1']);
    expect(await ask(lookup, 'x.example', { family: 6 })).toEqual({ err: null, address: '2606:2800:220:1::1', family: 6 });
    const none = await ask(pinnedLookup(['93.184.216.34']), 'x.example', { family: 6 });
    expect(none.err?.code).toBe('ENOTFOUND');
  });
});
