/** The text of `gateway help`. */
export const usage = `Usage: gateway <command> [options]

Server
  serve                               Start the gateway (same as npm start; configured by the environment).
  migrate                             Apply pending database migrations, then exit.

Offline (writes the SQLite file directly; works with the gateway stopped)
  admin create-user --username <name> --password <password> --role <platform_admin|tenant_admin>
                    [--tenant <tenantId>] [--password-stdin]
                                      Create an admin user (argon2-hashed). --password-stdin reads the
                                      password from standard input instead of the command line.
  why <request-id> [--json]           Explain, step by step, how the gateway decided a logged call
                                      (reads call_logs read-only).

Live (through the running gateway's admin API, so its in-memory view updates at once)
  keys create --consumer <id> [--name <name>] [--json]
                                      Create an API key; its secret is shown this once.
  subscriptions list [--pending] [--json]
                                      List subscriptions (only those awaiting approval with --pending).
  subscriptions approve <id>          Approve a pending subscription.
  demo [--json]                       Set up the quick-start demo (tenant 'demo', app 'demo-app',
                                      service 'demo-models' with mock-chat and mock-embed) and create a
                                      new demo key. Re-running reuses everything but the key.

Options for the live commands
  --url <url>          The gateway (default http://127.0.0.1:$PORT, PORT defaulting to 8787).
  --username <name>    Admin user (default $GATEWAY_ADMIN_USER, else 'admin').
  --password <pass>    Admin password (default $GATEWAY_ADMIN_PASSWORD; prefer the variable: a
                       command line is visible to other users of the machine).

Common options
  --data-dir <dir>     The data directory (default $GATEWAY_DATA_DIR, else ./data).
  -h, --help           This text.

Exit codes: 0 done, 1 the operation failed, 2 the command line is wrong.
`;
