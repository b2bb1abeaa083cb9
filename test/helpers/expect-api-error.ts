import OpenAI from 'openai';

import type { Test } from 'tap';

type ApiErrorClass = new (...args: never[]) => InstanceType<typeof OpenAI.APIError>;

export interface ExpectedApiError {
  status?: number | undefined;
  code?: string;
  type?: string;
  layer?: string;
  param?: string;
}

/**
 * Asserts that an openai SDK call fails with the given error class and envelope fields, and
 * returns the error for further checks. (tap's `rejects` does not match classes by instanceof.)
 */
export async function expectApiError(
  t: Test,
  call: Promise<unknown>,
  errorClass: ApiErrorClass,
  expected: ExpectedApiError = {},
): Promise<InstanceType<typeof OpenAI.APIError> | undefined> {
  try {
    await call;
  } catch (error) {
    t.ok(error instanceof errorClass, `rejects with ${errorClass.name} (got ${(error as Error)?.constructor?.name})`);
    if (!(error instanceof OpenAI.APIError)) return undefined;
    if ('status' in expected) t.equal(error.status, expected.status, 'status');
    if (expected.code !== undefined) t.equal(error.code, expected.code, 'code');
    if (expected.type !== undefined) t.equal(error.type, expected.type, 'type');
    if (expected.param !== undefined) t.equal(error.param, expected.param, 'param');
    if (expected.layer !== undefined) t.equal((error.error as { layer?: string } | undefined)?.layer, expected.layer, 'layer');
    return error;
  }
  t.fail(`expected the call to fail with ${errorClass.name}`);
  return undefined;
}
