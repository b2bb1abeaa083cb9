/**
 * JSON Schema of the chat request. It checks what the gateway must rely on and the types of
 * the parameters it knows; unknown parameters are allowed and kept (adapters decide whether
 * a provider can honour them).
 */
const nullable = (schema: object) => ({ anyOf: [schema, { type: 'null' }] });

const contentPart = {
  type: 'object',
  required: ['type'],
  properties: {
    type: { type: 'string' },
    text: { type: 'string' },
    image_url: {
      type: 'object',
      required: ['url'],
      properties: { url: { type: 'string', minLength: 1 }, detail: { type: 'string', enum: ['auto', 'low', 'high'] } },
    },
  },
  // A part of a known type carries its payload: `{"type": "text"}` alone is a malformed part, not an unsupported one.
  allOf: [
    { if: { properties: { type: { const: 'text' } } }, then: { required: ['text'] } },
    { if: { properties: { type: { const: 'image_url' } } }, then: { required: ['image_url'] } },
  ],
};

const toolCall = {
  type: 'object',
  required: ['id', 'function'],
  properties: {
    id: { type: 'string', minLength: 1 },
    type: { type: 'string', const: 'function' },
    function: {
      type: 'object',
      required: ['name', 'arguments'],
      properties: { name: { type: 'string', minLength: 1 }, arguments: { type: 'string' } },
    },
  },
};

const message = {
  type: 'object',
  required: ['role'],
  properties: {
    role: { type: 'string', enum: ['system', 'developer', 'user', 'assistant', 'tool'] },
    content: { anyOf: [{ type: 'string' }, { type: 'array', items: contentPart }, { type: 'null' }] },
    name: { type: 'string' },
    tool_calls: { type: 'array', items: toolCall },
    tool_call_id: { type: 'string' },
  },
  allOf: [
    { if: { properties: { role: { const: 'tool' } } }, then: { required: ['tool_call_id', 'content'] } },
    { if: { properties: { role: { enum: ['system', 'developer', 'user'] } } }, then: { required: ['content'] } },
  ],
};

export const chatCompletionsBodySchema = {
  type: 'object',
  required: ['model', 'messages'],
  properties: {
    model: { type: 'string', minLength: 1, maxLength: 256 },
    messages: { type: 'array', minItems: 1, items: message },
    stream: nullable({ type: 'boolean' }),
    stream_options: nullable({ type: 'object', properties: { include_usage: { type: 'boolean' } } }),
    temperature: nullable({ type: 'number', minimum: 0, maximum: 2 }),
    top_p: nullable({ type: 'number', minimum: 0, maximum: 1 }),
    n: nullable({ type: 'integer', minimum: 1, maximum: 128 }),
    max_tokens: nullable({ type: 'integer', minimum: 1 }),
    max_completion_tokens: nullable({ type: 'integer', minimum: 1 }),
    stop: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, maxItems: 16 }, { type: 'null' }] },
    seed: nullable({ type: 'integer' }),
    presence_penalty: nullable({ type: 'number', minimum: -2, maximum: 2 }),
    frequency_penalty: nullable({ type: 'number', minimum: -2, maximum: 2 }),
    user: { type: 'string' },
    tools: {
      type: 'array',
      items: {
        type: 'object',
        required: ['type'],
        // The type first: a `custom` tool (OpenAI's free-text tools, which the gateway does not
        // carry) is told that tools must be functions, not that it lacks a `function` field.
        allOf: [{ properties: { type: { type: 'string', const: 'function' } } }, { required: ['function'] }],
        properties: {
          function: {
            type: 'object',
            required: ['name'],
            // A function's parameters are an object schema, as OpenAI requires ("schema must be a JSON Schema of 'type: "object"'"):
            // another root type reached Anthropic silently turned into an object.
            properties: { name: { type: 'string', minLength: 1 }, description: { type: 'string' }, parameters: { type: 'object', properties: { type: { const: 'object' } } } },
          },
        },
      },
    },
    tool_choice: {
      anyOf: [
        { type: 'string', enum: ['none', 'auto', 'required'] },
        { type: 'object', required: ['type', 'function'], properties: { function: { type: 'object', required: ['name'] } } },
        {
          type: 'object',
          required: ['type', 'allowed_tools'],
          properties: {
            type: { const: 'allowed_tools' },
            allowed_tools: {
              type: 'object',
              required: ['mode', 'tools'],
              properties: { mode: { type: 'string', enum: ['auto', 'required'] }, tools: { type: 'array', minItems: 1, items: { type: 'object', required: ['type'] } } },
            },
          },
        },
      ],
    },
    parallel_tool_calls: { type: 'boolean' },
    response_format: {
      type: 'object',
      required: ['type'],
      properties: {
        type: { type: 'string', enum: ['text', 'json_object', 'json_schema'] },
        // As OpenAI requires: a name, and a schema that is a JSON Schema object (a string or null used to reach the adapters).
        json_schema: {
          type: 'object',
          required: ['name'],
          properties: { name: { type: 'string', minLength: 1, maxLength: 64 }, description: { type: 'string' }, schema: { type: 'object' }, strict: nullable({ type: 'boolean' }) },
        },
      },
      allOf: [{ if: { properties: { type: { const: 'json_schema' } } }, then: { required: ['json_schema'] } }],
    },
  },
} as const;
