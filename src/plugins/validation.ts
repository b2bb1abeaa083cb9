import { Ajv, type Options as AjvOptions, type ValidateFunction } from 'ajv';
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

/**
 * The route schemas' validators, compiled once per distinct schema. A gateway compiles each of
 * its schemas once anyway; the cache pays off where one process builds many gateways (the tests
 * start hundreds, and compiling took ~130 ms of each start), which pass one shared set through
 * `GatewayOptions.schemaCompilers`.
 */
export class SchemaCompilers {
  private readonly strict = makeAjv(false);
  private readonly coercing = makeAjv(true);
  private readonly compiled = new Map<string, ValidateFunction>();

  compile(schema: FastifySchema & object, httpPart: string | undefined): ValidateFunction {
    const coerce = httpPart === 'querystring' || httpPart === 'params';
    const key = `${coerce ? 'coerce' : 'strict'} ${JSON.stringify(schema)}`;
    let validate = this.compiled.get(key);
    if (validate === undefined) {
      validate = (coerce ? this.coercing : this.strict).compile(schema);
      this.compiled.set(key, validate);
    }
    return validate;
  }
}

export interface ValidationOptions {
  /** Shared compilers (see SchemaCompilers); a gateway of its own gets a fresh set. */
  compilers?: SchemaCompilers;
}

export default fp(
  async function validation(fastify: FastifyInstance, options: ValidationOptions) {
    const compilers = options.compilers ?? new SchemaCompilers();
    fastify.setValidatorCompiler(({ schema, httpPart }) => compilers.compile(schema as FastifySchema & object, httpPart));
  },
  { name: 'validation' },
);
