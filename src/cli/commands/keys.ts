import { AdminClient } from '../admin-client.js';
import { usageError } from '../cli-error.js';
import { stringOption, type OptionValues } from '../command-table.js';

interface CreatedKey {
  id: string;
  key: string;
  prefix?: string;
  name?: string | null;
}

/** `keys create --consumer <id> [--name n]`: POST /admin/consumers/{id}/keys; the secret is shown once. */
export async function createKey(values: OptionValues): Promise<void> {
  const consumer = stringOption(values, 'consumer');
  if (consumer === undefined) throw usageError('keys create needs --consumer <consumerId> (con_…): the app the key belongs to.');
  const name = stringOption(values, 'name');
  const client = AdminClient.fromOptions(values);
  const created = await client.post<CreatedKey>(`/admin/consumers/${encodeURIComponent(consumer)}/keys`, name === undefined ? {} : { name });
  if (values.json === true) {
    process.stdout.write(`${JSON.stringify(created, null, 2)}\n`);
    return;
  }
  process.stdout.write(`Created key ${created.id}${created.name ? ` (${created.name})` : ''} for ${consumer}.\n`);
  process.stdout.write(`Secret (shown this once; store it now):\n${created.key}\n`);
}
