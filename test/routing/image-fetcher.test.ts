import t, { type Test } from 'tap';
import diagnostics from 'node:diagnostics_channel';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createImageFetcher } from '../../src/routing/image-fetcher.js';
import { GatewayError } from '../../src/errors.js';

t.test('private addresses are refused unless allowed; downloads are typed and capped', async (t) => {
  const png = Buffer.from('89504e470d0a1a0a', 'hex');
  const server = http.createServer((req, res) => {
    if (req.url === '/image.png') res.writeHead(200, { 'content-type': 'image/png' }).end(png);
    else res.writeHead(200, { 'content-type': 'text/html' }).end('<html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => server.close());
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const signal = new AbortController().signal;

  const strict = createImageFetcher(false);
  for (const refused of [`${url}/image.png`, 'http://localhost/x.png', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/x.png', 'http://10.1.2.3/x.png', 'file:///etc/passwd']) {
    await t.rejects(strict(refused, signal), GatewayError, refused);
  }
  const loose = createImageFetcher(true);
  t.same(await loose(`${url}/image.png`, signal), { mimeType: 'image/png', base64: png.toString('base64') });
  await t.rejects(loose(`${url}/page.html`, signal), { code: 'invalid_request', message: /not an image/ });
});

t.test('a download that trickles past the time cap is a 400 that says so, not a 500', async (t) => {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'image/png' });
    const timer = setInterval(() => res.write(Buffer.from('89', 'hex')), 50);
    res.once('close', () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => server.close());
  const fetchImage = createImageFetcher(true, 300);
  // Garbage collections while the download runs: the cap must not depend on an object they can take.
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as () => void;
  const collecting = setInterval(collect, 5);
  t.teardown(() => clearInterval(collecting));
  const download = fetchImage(`http://127.0.0.1:${(server.address() as AddressInfo).port}/slow.png`, new AbortController().signal);
  const hung = new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 5_000).unref());
  const settled = await Promise.race([download.then(() => 'downloaded', (error: unknown) => error), hung]);
  t.match(settled, { code: 'invalid_request', status: 400, message: /took longer than 0.3 s/ }, 'refused at the cap, not left running');
});

/** A loopback image server that counts the requests that reach it. */
async function countingServer(t: Test): Promise<{ port: number; hits: () => number }> {
  let hits = 0;
  const server = http.createServer((_req, res) => {
    hits += 1;
    res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from('89504e470d0a1a0a', 'hex'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => server.close());
  return { port: (server.address() as AddressInfo).port, hits: () => hits };
}

const PRIVATE = /resolves to a private or loopback address/;

t.test('IPv6 literals that carry a private IPv4 (mapped, compatible, NAT64) are refused before any connection', async (t) => {
  const { port, hits } = await countingServer(t);
  const signal = new AbortController().signal;
  // A short time cap: without the check these would be fetched, or hang on the metadata address.
  const strict = createImageFetcher(false, 1000);
  for (const url of [
    `http://[::ffff:127.0.0.1]:${port}/a.png`,
    `http://[::ffff:7f00:1]:${port}/a.png`,
    `http://[::ffff:a9fe:a9fe]/latest/meta-data`,
    `http://[::ffff:10.0.0.1]:${port}/a.png`,
    `http://[::127.0.0.1]:${port}/a.png`,
    `http://[64:ff9b::7f00:1]:${port}/a.png`,
    `http://[64:ff9b::169.254.169.254]/latest/meta-data`,
  ]) {
    await t.rejects(strict(url, signal), { code: 'invalid_request', status: 400, param: 'messages', message: PRIVATE }, url);
  }
  t.equal(hits(), 0, 'no request reached the loopback server');

  const loose = createImageFetcher(true);
  t.equal((await loose(`http://[::ffff:127.0.0.1]:${port}/a.png`, signal)).mimeType, 'image/png', 'allowed when private fetch is on');
});

t.test('a host name is refused when any address it resolves to is private, mapped forms included', async (t) => {
  const { port, hits } = await countingServer(t);
  const signal = new AbortController().signal;
  for (const answer of [['93.184.215.14', '127.0.0.1'], ['::ffff:7f00:1'], ['64:ff9b::a9fe:a9fe'], ['fd00:ec2::254']]) {
    const strict = createImageFetcher(false, 1000, async () => answer);
    await t.rejects(strict(`http://images.test:${port}/a.png`, signal), { status: 400, message: PRIVATE }, answer.join(', '));
  }
  const unresolvable = createImageFetcher(false, 1000, async () => []);
  await t.rejects(unresolvable(`http://images.test:${port}/a.png`, signal), { status: 400, message: /its host does not resolve/ });
  t.equal(hits(), 0);
});

t.test('DNS rebinding: the address checked is the address connected to, from one resolution', async (t) => {
  const { port, hits } = await countingServer(t);
  // Keep the test off the network: a socket about to connect to the public answer is destroyed
  // (net skips the connect when the socket was destroyed in its 'lookup' event).
  const PUBLIC = '93.184.215.14';
  const connectingTo: string[] = [];
  const onSocket = (message: unknown) => {
    const { socket } = message as { socket: Socket };
    socket.once('lookup', (_error: Error | null, address: string) => {
      connectingTo.push(address);
      if (address === PUBLIC) socket.destroy(new Error('test: stays off the network'));
    });
  };
  diagnostics.subscribe('net.client.socket', onSocket);
  t.teardown(() => diagnostics.unsubscribe('net.client.socket', onSocket));

  let resolutions = 0;
  // Public the first time (the check), loopback from then on (what a rebinding DNS server does).
  const rebinding = async () => (++resolutions === 1 ? [PUBLIC] : ['127.0.0.1']);
  const strict = createImageFetcher(false, 2000, rebinding);
  await t.rejects(strict(`http://rebind.test:${port}/a.png`, new AbortController().signal), { status: 400, message: /the download failed/ });
  t.equal(resolutions, 1, 'resolved once');
  t.same(connectingTo, [PUBLIC], 'connected only to the address that was checked');
  t.equal(hits(), 0, 'the loopback server was never reached');
});
