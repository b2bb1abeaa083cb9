import t from 'tap';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
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
  await t.rejects(fetchImage(`http://127.0.0.1:${(server.address() as AddressInfo).port}/slow.png`, new AbortController().signal), {
    code: 'invalid_request',
    status: 400,
    message: /took longer than 0.3 s/,
  });
});
