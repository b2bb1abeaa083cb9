import t from 'tap';
import { runCli } from './helpers/child-gateway.js';

// Each CLI run is a child process that loads the sources through the TypeScript loader.
t.setTimeout(120_000);

t.test('help, unknown commands and wrong arguments', async (t) => {
  const help = await runCli(['help']);
  t.equal(help.code, 0);
  t.match(help.stdout, /admin create-user --username <name> --password <password> --role/);
  t.match(help.stdout, /why <request-id>/);

  const bare = await runCli([]);
  t.equal(bare.code, 2, 'no command is a usage error');

  const unknown = await runCli(['frobnicate']);
  t.equal(unknown.code, 2);
  t.match(unknown.stderr, /Unknown command 'frobnicate'/);
  t.match(unknown.stderr, /gateway help/);

  const group = await runCli(['subscriptions']);
  t.equal(group.code, 2, 'a command group without its subcommand is a usage error');
  t.match(group.stderr, /'gateway subscriptions' needs a subcommand: gateway subscriptions list, gateway subscriptions approve/);
  t.match((await runCli(['keys'])).stderr, /needs a subcommand: gateway keys create/);

  const badOption = await runCli(['migrate', '--pending']);
  t.equal(badOption.code, 2, 'an option of another command is refused');
  t.match(badOption.stderr, /gateway migrate: .*--pending/);

  const missing = await runCli(['why']);
  t.equal(missing.code, 2);
  t.match(missing.stderr, /gateway why needs <request-id>/);
});
