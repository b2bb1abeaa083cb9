import t from 'tap';
import { buildAnthropicRequest, DEFAULT_MAX_TOKENS } from '../../../src/adapters/anthropic/build-anthropic-request.js';
import { JSON_OBJECT_INSTRUCTION } from '../../../src/adapters/anthropic/convert-response-format.js';
import type { ChatRequest, ToolDefinition } from '../../../src/adapters/types.js';
import { GatewayError } from '../../../src/errors.js';

const base: ChatRequest = { model: 'claude-alias', messages: [{ role: 'user', content: 'Hi' }] };
const noDrops = { dropParams: new Set<string>(), upstreamModel: 'claude-upstream' };
const weather: ToolDefinition = { type: 'function', function: { name: 'weather', parameters: { type: 'object', properties: {} } } };

function build(extra: Record<string, unknown>, dropParams: string[] = [], settings = {}) {
  return buildAnthropicRequest({ ...base, ...extra }, { ...noDrops, dropParams: new Set(dropParams) }, settings);
}

function rejectionOf(run: () => unknown): GatewayError {
  try {
    run();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

t.test('the upstream model name and the translated messages are sent', async (t) => {
  const { params, answerToolName } = build({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }] });
  t.same(params, {
    model: 'claude-upstream',
    max_tokens: DEFAULT_MAX_TOKENS,
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
    system: 'Be brief.',
  });
  t.equal(answerToolName, undefined);
});

t.test('max_tokens: max_completion_tokens, then max_tokens, then the provider default, then 4096', async (t) => {
  const cases = [
    { extra: { max_completion_tokens: 100, max_tokens: 200 }, settings: { options: { defaultMaxTokens: 300 } }, expected: 100 },
    { extra: { max_completion_tokens: null, max_tokens: 200 }, settings: { options: { defaultMaxTokens: 300 } }, expected: 200 },
    { extra: {}, settings: { options: { defaultMaxTokens: 300 } }, expected: 300 },
    { extra: {}, settings: { options: { defaultMaxTokens: 'lots' } }, expected: 4096 },
    { extra: {}, settings: {}, expected: 4096 },
  ];
  for (const { extra, settings, expected } of cases) t.equal(build(extra, [], settings).params.max_tokens, expected, JSON.stringify({ extra, settings }));
  t.match(rejectionOf(() => build({ max_tokens: 0 })), { code: 'invalid_request', param: 'max_tokens' });
  t.match(rejectionOf(() => build({ max_completion_tokens: 1.5 })), { code: 'invalid_request', param: 'max_completion_tokens' });
});

t.test('sampling and misc parameters', async (t) => {
  const cases: Array<{ extra: Record<string, unknown>; expected: Record<string, unknown> }> = [
    { extra: { temperature: 0.3 }, expected: { temperature: 0.3 } },
    { extra: { temperature: 1.7 }, expected: { temperature: 1 } },
    { extra: { temperature: 2 }, expected: { temperature: 1 } },
    { extra: { temperature: -1 }, expected: { temperature: 0 } },
    { extra: { top_p: 0.9, top_k: 40 }, expected: { top_p: 0.9, top_k: 40 } },
    { extra: { stop: 'END' }, expected: { stop_sequences: ['END'] } },
    { extra: { stop: ['a', '', 'b'] }, expected: { stop_sequences: ['a', 'b'] } },
    { extra: { user: 'user-42' }, expected: { metadata: { user_id: 'user-42' } } },
  ];
  for (const { extra, expected } of cases) t.match(build(extra).params, expected, JSON.stringify(extra));
  const plain = build({ stop: [], temperature: null, user: '', n: 1, stream: true, stream_options: { include_usage: true } }).params;
  for (const absent of ['stop_sequences', 'temperature', 'metadata', 'stream', 'stream_options', 'n']) t.notOk(absent in plain, `no ${absent}`);
  t.match(rejectionOf(() => build({ stop: [1] })), { code: 'invalid_request', param: 'stop' });
  t.match(rejectionOf(() => build({ temperature: 'hot' })), { code: 'invalid_request', param: 'temperature' });
});

t.test('parameters Anthropic cannot honour are a 400 naming them, unless dropped', async (t) => {
  const unhonoured: Array<[string, unknown]> = [
    ['seed', 7],
    ['frequency_penalty', 0.5],
    ['presence_penalty', 0.1],
    ['logprobs', true],
    ['top_logprobs', 3],
    ['reasoning_effort', 'low'],
    ['logit_bias', { 50256: -100 }],
    ['some_future_parameter', 'x'],
  ];
  for (const [name, value] of unhonoured) {
    const error = rejectionOf(() => build({ [name]: value }));
    t.match(error, { status: 400, code: 'unsupported_parameter', param: name }, name);
    t.match(error.message, name);
    t.notOk(name in build({ [name]: value }, [name]).params, `${name} dropped when listed in dropParams`);
  }
  t.notOk('logprobs' in build({ logprobs: false }).params, 'logprobs: false asks for nothing and passes');
  t.match(rejectionOf(() => build({ n: 2 })), { code: 'unsupported_parameter', param: 'n' });
  t.equal(build({ n: 3 }, ['n']).params.model, 'claude-upstream', 'n dropped by configuration');
  t.match(rejectionOf(() => build({ n: 0 })), { code: 'invalid_request', param: 'n' });
});

t.test('dropParams also removes honoured parameters', async (t) => {
  const { params } = build({ temperature: 0.5, top_p: 0.9 }, ['top_p', 'model', 'messages']);
  t.equal(params.temperature, 0.5);
  t.notOk('top_p' in params);
  t.equal(params.model, 'claude-upstream', 'required fields stay');
  t.equal(params.messages.length, 1);
});

t.test('tools and tool_choice are translated', async (t) => {
  const { params } = build({ tools: [weather], tool_choice: 'required', parallel_tool_calls: false });
  t.same(params.tools, [{ name: 'weather', input_schema: { type: 'object', properties: {} } }]);
  t.same(params.tool_choice, { type: 'any', disable_parallel_tool_use: true });
});

t.test('response_format json_object becomes a system instruction', async (t) => {
  t.equal(build({ response_format: { type: 'json_object' } }).params.system, JSON_OBJECT_INSTRUCTION);
  const withSystem = build({ response_format: { type: 'json_object' }, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }] });
  t.equal(withSystem.params.system, `Be brief.\n\n${JSON_OBJECT_INSTRUCTION}`);
  t.notOk('system' in build({ response_format: { type: 'text' } }).params);
});

t.test('response_format json_schema becomes a forced answer tool named after the schema', async (t) => {
  const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
  const plan = build({ response_format: { type: 'json_schema', json_schema: { name: 'city_answer', schema, strict: true } } });
  t.equal(plan.answerToolName, 'city_answer');
  t.match(plan.params.tools, [{ name: 'city_answer', input_schema: schema }]);
  t.same(plan.params.tool_choice, { type: 'tool', name: 'city_answer', disable_parallel_tool_use: true });

  const withTools = build({ tools: [weather], response_format: { type: 'json_schema', json_schema: { name: 'answer', schema } } });
  t.equal(withTools.params.tools?.length, 2);
  t.match(withTools.params.tools, [{ name: 'weather' }, { name: 'answer' }]);
  t.same(withTools.params.tool_choice, { type: 'any' }, 'the model must call a tool: one of the client’s or the answer');
  const namedChoice = build({ tools: [weather], tool_choice: { type: 'function', function: { name: 'weather' } }, response_format: { type: 'json_schema', json_schema: { name: 'answer' } } });
  t.same(namedChoice.params.tool_choice, { type: 'tool', name: 'weather' }, 'a forced client tool stays forced');

  t.match(rejectionOf(() => build({ tools: [weather], response_format: { type: 'json_schema', json_schema: { name: 'weather' } } })), {
    code: 'invalid_request',
    param: 'response_format.json_schema.name',
  });
  t.match(rejectionOf(() => build({ response_format: { type: 'json_schema', json_schema: { name: 'list', schema: { type: 'array' } } } })), {
    param: 'response_format.json_schema.schema',
  });
  t.match(rejectionOf(() => build({ response_format: { type: 'json_schema', json_schema: { name: 'bad name!' } } })), {
    param: 'response_format.json_schema.name',
  });
});
