import t from 'tap';
import { isPrivateAddress } from '../../src/routing/private-address.js';

t.test('private IPv4 ranges, and IPv6 addresses that carry one, are private', async (t) => {
  for (const address of [
    '0.0.0.0', '10.1.2.3', '100.100.100.200', '127.0.0.1', '169.254.169.254', '172.31.255.255', '192.0.0.170',
    '192.168.1.1', '198.18.0.1', '224.0.0.1', '255.255.255.255',
    '::', '::1', 'fc00::1', 'fd00:ec2::254', 'fe80::1', 'fe80::1%eth0', 'fec0::1', 'ff02::1', '[::1]',
    // IPv4-mapped, dotted and hex, in every spelling the URL parser or DNS may give.
    '::ffff:127.0.0.1', '::ffff:7f00:1', '::FFFF:7F00:0001', '0:0:0:0:0:ffff:7f00:1', '::ffff:a9fe:a9fe', '::ffff:c0a8:101',
    '::ffff:0:7f00:1', // IPv4-translated
    '::127.0.0.1', '::a00:1', // IPv4-compatible
    '64:ff9b::7f00:1', '64:ff9b::169.254.169.254', '64:ff9b:1::a00:1', // NAT64, well-known and local-use
    '2002:7f00:1::1', // 6to4
    '2001:0:4136:e378:8000:63bf:80ff:fffe', // Teredo: client 127.0.0.1, stored inverted
    'localhost', 'not an address', '',
  ]) {
    t.equal(isPrivateAddress(address), true, address);
  }
});

t.test('public addresses, mapped or embedded ones included, are not', async (t) => {
  for (const address of [
    '8.8.8.8', '1.1.1.1', '93.184.215.14', '172.32.0.1', '100.128.0.1',
    '2606:4700:4700::1111', '2a00:1450:4001::200e', '::ffff:8.8.8.8', '::ffff:808:808', '64:ff9b::808:808', '2002:808:808::1',
  ]) {
    t.equal(isPrivateAddress(address), false, address);
  }
});
