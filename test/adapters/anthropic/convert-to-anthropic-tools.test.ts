import t from 'tap';
import { convertToAnthropicTools } from '../../../src/adapters/anthropic/convert-to-anthropic-tools.js';
import type { ChatRequest, ToolDefinition } from '../../../src/adapters/types.js';
import { GatewayError } from '../../../src/errors.js';

const weather: ToolDefinition = {
  type: 'function',
  function: {
    name: 'weather',
    description: 'Weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    strict: true,
  },
};
const ping: ToolDefinition = { type: 'function', function: { name: 'ping' } };

t.test('function tools become Anthropic tools with input_schema', async (t) => {
  const { tools } = convertToAnthropicTools({ tools: [weather, ping] });
  t.same(tools, [
    {
      name: 'weather',
      description: 'Weather for a city',
      input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
    { name: 'ping', input_schema: { type: 'object', properties: {} } },
  ]);
});

t.test('tool_choice and parallel_tool_calls map onto Anthropic tool_choice', async (t) => {
  const cases: Array<{ request: Pick<ChatRequest, 'tool_choice' | 'parallel_tool_calls'>; expected: unknown }> = [
    { request: {}, expected: undefined },
    { request: { tool_choice: 'auto' }, expected: { type: 'auto' } },
    { request: { tool_choice: 'required' }, expected: { type: 'any' } },
    { request: { tool_choice: 'none' }, expected: { type: 'none' } },
    { request: { tool_choice: { type: 'function', function: { name: 'weather' } } }, expected: { type: 'tool', name: 'weather' } },
    { request: { parallel_tool_calls: false }, expected: { type: 'auto', disable_parallel_tool_use: true } },
    { request: { tool_choice: 'required', parallel_tool_calls: false }, expected: { type: 'any', disable_parallel_tool_use: true } },
    {
      request: { tool_choice: { type: 'function', function: { name: 'weather' } }, parallel_tool_calls: false },
      expected: { type: 'tool', name: 'weather', disable_parallel_tool_use: true },
    },
    { request: { tool_choice: 'none', parallel_tool_calls: false }, expected: { type: 'none' } },
    { request: { tool_choice: 'auto', parallel_tool_calls: true }, expected: { type: 'auto' } },
  ];
  for (const { request, expected } of cases) {
    t.same(convertToAnthropicTools({ tools: [weather], ...request }).toolChoice, expected, JSON.stringify(request));
  }
});

t.test('without tools there is nothing to choose from', async (t) => {
  t.same(convertToAnthropicTools({ tool_choice: 'auto', parallel_tool_calls: false }), { tools: undefined, toolChoice: undefined });
  t.same(convertToAnthropicTools({ tools: [] }), { tools: undefined, toolChoice: undefined });
});

t.test('tools and choices Anthropic cannot take are 400s naming the field', async (t) => {
  const cases: Array<{ request: Parameters<typeof convertToAnthropicTools>[0]; code: string; param: string }> = [
    { request: { tool_choice: { type: 'function', function: { name: 'weather' } } }, code: 'invalid_request', param: 'tool_choice' },
    // A call required with nothing to call, or of a function that is not offered.
    { request: { tool_choice: 'required' }, code: 'invalid_request', param: 'tool_choice' },
    { request: { tools: [weather], tool_choice: { type: 'function', function: { name: 'forecast' } } }, code: 'invalid_request', param: 'tool_choice' },
    { request: { tools: [weather, { type: 'custom', custom: {} } as unknown as ToolDefinition] }, code: 'unsupported_parameter', param: 'tools[1].type' },
    { request: { tools: [{ type: 'function', function: { name: '' } }] }, code: 'invalid_request', param: 'tools[0].function.name' },
    {
      request: { tools: [weather], tool_choice: { type: 'allowed_tools' } as unknown as ChatRequest['tool_choice'] },
      code: 'unsupported_parameter',
      param: 'tool_choice',
    },
  ];
  for (const { request, code, param } of cases) {
    let thrown: unknown;
    try {
      convertToAnthropicTools(request);
    } catch (error) {
      thrown = error;
    }
    t.ok(thrown instanceof GatewayError, `${param}: a GatewayError`);
    t.match(thrown, { status: 400, code, param }, param);
  }
});
