import { Ajv, type Options as AjvOptions } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance, FastifySchema } from 'fastify';
import fp from 'fastify-plugin';

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/**
 * Bodies are validated strictly: a wrong type is a 400, never silently coerced, and unknown
 * properties are kept (the OpenAI API grows; the gateway must not strip what it does not know).
 * Query strings are text on the wire, so only they are coerced.
 */
function makeAjv(coerce: boolean): Ajv {
  const options: AjvOptions = { coerceTypes: coerce, useDefaults: true, removeAdditional: false, allErrors: false, strict: false };
  return addFormats(new Ajv(options));
}

export default fp(
  async function validation(fastify: FastifyInstance) {
    const strict = makeAjv(false);
    const coercing = makeAjv(true);
    fastify.setValidatorCompiler(({ schema, httpPart }) => {
      const ajv = httpPart === 'querystring' || httpPart === 'params' ? coercing : strict;
      return ajv.compile(schema as FastifySchema & object);
    });
  },
  { name: 'validation' },
);
