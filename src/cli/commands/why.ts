import { eq } from 'drizzle-orm';
import { callLogs } from '../../db/schema.js';
import { CliError } from '../cli-error.js';
import type { OptionValues } from '../command-table.js';
import { explainCall } from '../explain-call.js';
import { dataDirFrom, openReadOnly } from './offline-database.js';

/** `why <request-id>`: the decision trace of a logged call, in words (read-only). */
export async function why(values: OptionValues, [requestId]: string[]): Promise<void> {
  const { db, close } = openReadOnly(dataDirFrom(values));
  try {
    const row = db.select().from(callLogs).where(eq(callLogs.requestId, requestId ?? '')).get();
    if (row === undefined) {
      throw new CliError(
        `No call with request id '${requestId}' is logged. Take the id from the x-request-id response header or the error's request_id; a call made in the last moments may still be queued for the log.`,
      );
    }
    if (values.json === true) {
      const { requestBody: _request, responseBody: _response, ...rest } = row;
      process.stdout.write(`${JSON.stringify(rest, null, 2)}\n`);
    } else {
      process.stdout.write(explainCall(row));
    }
  } finally {
    close();
  }
}
