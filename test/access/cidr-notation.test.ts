import { BlockList } from 'node:net';
import t from 'tap';
import { parseCidr } from '../../src/access/cidr-notation.js';

t.test('valid blocks come back canonical', async (t) => {
  const cases: Array<[string, string]> = [
    ['10.0.0.0/8', '10.0.0.0/8'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['192.0.2.7', '192.0.2.7/32'],
    ['192.0.2.7/32', '192.0.2.7/32'],
    ['2001:db8::/32', '2001:db8::/32'],
    ['2001:DB8:0000:0000::/64', '2001:db8::/64'],
    ['::1', '::1/128'],
    ['::/0', '::/0'],
    ['fe80::/10', 'fe80::/10'],
    ['2001:db8:0:0:1:0:0:1/128', '2001:db8::1:0:0:1/128'],
    ['2001:0:0:1:0:0:0:0/64', '2001:0:0:1::/64'],
    ['::ffff:192.0.2.0/120', '::ffff:c000:200/120'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8/128'],
  ];
  for (const [input, canonical] of cases) {
    const parsed = parseCidr(input);
    t.ok(parsed.ok, `${input} is valid`);
    if (parsed.ok) t.equal(parsed.canonical, canonical, `${input} → ${canonical}`);
  }
});

t.test('the canonical block covers exactly what node:net BlockList says', async (t) => {
  const parsed = parseCidr('2001:db8:abcd::/48');
  t.ok(parsed.ok);
  if (!parsed.ok) return;
  const list = new BlockList();
  list.addSubnet(parsed.block.address, parsed.block.prefix, parsed.block.family);
  t.ok(list.check('2001:db8:abcd:1::5', 'ipv6'));
  t.notOk(list.check('2001:db8:abce::1', 'ipv6'));
});

t.test('invalid blocks are refused with the reason', async (t) => {
  const cases: Array<[string, RegExp]> = [
    ['', /not an IPv4 or IPv6 address/],
    ['10.0.0.0/33', /0 to 32/],
    ['2001:db8::/129', /0 to 128/],
    ['10.0.0.0/-1', /prefix length/],
    ['10.0.0.0/', /prefix length/],
    ['10.0.0.0/8/8', /more than one/],
    ['10.0.0.0/ 8', /prefix length/],
    [' 10.0.0.0/8', /not an IPv4/],
    ['10.0.0/8', /not an IPv4/],
    ['256.0.0.0/8', /not an IPv4/],
    ['010.0.0.0/8', /not an IPv4/],
    ['10.0.0.0/08', /prefix length/],
    ['10.0.0.1/8', /host bits.*10\.0\.0\.0\/8/],
    ['2001:db8::1/64', /host bits.*2001:db8::\/64/],
    ['fe80::1%eth0', /zone id/],
    ['2001:db8:::/48', /not an IPv4/],
    ['example.com/24', /not an IPv4/],
  ];
  for (const [input, reason] of cases) {
    const parsed = parseCidr(input);
    t.notOk(parsed.ok, `'${input}' is refused`);
    if (!parsed.ok) t.match(parsed.reason, reason, `'${input}': ${parsed.reason}`);
  }
});
