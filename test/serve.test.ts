import { writeFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { runCli, tempDataDir, TEST_SECRET_KEY } from './helpers/child-gateway.js';

// A boot that fails on the operator's setting says which variable to change, without a stack trace.
t.test('a system error at boot names the variable behind it', async (t) => {
  const dataDir = tempDataDir(t);
  const notADirectory = path.join(dataDir, 'a-file');
  writeFileSync(notADirectory, 'x');
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ HOST: 'not.a.host', GATEWAY_DATA_DIR: dataDir }, /HOST does not name an address of this machine/],
    [{ HOST: '127.0.0.1', GATEWAY_DATA_DIR: notADirectory }, /GATEWAY_DATA_DIR must be a directory the gateway can create and write/],
  ];
  for (const [env, message] of cases) {
    const run = await runCli(['serve'], { PORT: '0', GATEWAY_SECRET_KEY: TEST_SECRET_KEY, LOG_LEVEL: 'silent', ...env });
    t.equal(run.code, 1, `${Object.values(env).join(' ')}: exit 1`);
    t.match(run.stderr, /^The gateway failed to start: /);
    t.match(run.stderr, message);
    t.notMatch(run.stderr, /\n\s+at /, 'no stack trace');
  }
});
