import t from 'tap';
import { convertToAnthropicMessages } from '../../../src/adapters/anthropic/convert-to-anthropic-messages.js';
import type { ChatMessage } from '../../../src/adapters/types.js';
import { GatewayError } from '../../../src/errors.js';

const PNG = 'iVBORw0KGgo=';

function rejectionOf(messages: ChatMessage[]): GatewayError {
  try {
    convertToAnthropicMessages(messages);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

t.test('system and developer messages, wherever they are, become one top-level system', async (t) => {
  const prompt = convertToAnthropicMessages([
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Hi' },
    { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
    { role: 'system', content: '' },
  ]);
  t.equal(prompt.system, 'Be brief.\n\nAnswer in French.');
  t.same(prompt.messages, [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }]);
  t.equal(convertToAnthropicMessages([{ role: 'user', content: 'x' }]).system, undefined, 'no system when none was sent');
});

t.test('consecutive same-role messages merge; tool results lead their user turn', async (t) => {
  const prompt = convertToAnthropicMessages([
    { role: 'user', content: 'Weather in Paris and Rome?' },
    { role: 'user', content: [{ type: 'text', text: 'Quickly.' }] },
    {
      role: 'assistant',
      content: 'Checking.',
      tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
        { id: 'call_2', type: 'function', function: { name: 'weather', arguments: '' } },
      ],
    },
    { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
    { role: 'user', content: 'And then?' },
    { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: 'rainy' }] },
    { role: 'assistant', content: 'Paris sunny,' },
    { role: 'assistant', content: [{ type: 'text', text: ' Rome rainy.' }] },
  ]);
  t.same(prompt.messages, [
    { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Rome?' }, { type: 'text', text: 'Quickly.' }] },
    {
      role: 'assistant',
      content: [
        { type: 'text', text: 'Checking.' },
        { type: 'tool_use', id: 'call_1', name: 'weather', input: { city: 'Paris' } },
        { type: 'tool_use', id: 'call_2', name: 'weather', input: {} },
      ],
    },
    {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'call_1', content: 'sunny' },
        { type: 'tool_result', tool_use_id: 'call_2', content: [{ type: 'text', text: 'rainy' }] },
        { type: 'text', text: 'And then?' },
      ],
    },
    { role: 'assistant', content: [{ type: 'text', text: 'Paris sunny,' }, { type: 'text', text: ' Rome rainy.' }] },
  ]);
});

t.test('empty text is dropped, and a message left empty disappears (its neighbours merge)', async (t) => {
  const prompt = convertToAnthropicMessages([
    { role: 'user', content: 'a' },
    { role: 'assistant', content: null },
    { role: 'assistant', content: '' },
    { role: 'user', content: [{ type: 'text', text: '' }, { type: 'text', text: 'b' }] },
    { role: 'tool', tool_call_id: 'call_9', content: '' },
  ]);
  t.same(prompt.messages, [
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_9' }, { type: 'text', text: 'a' }, { type: 'text', text: 'b' }] },
  ]);
});

t.test('images: data: URLs become base64 sources, http(s) URLs URL sources', async (t) => {
  const cases = [
    { url: `data:image/png;base64,${PNG}`, source: { type: 'base64', media_type: 'image/png', data: PNG } },
    { url: `data:image/jpg;base64,${PNG}`, source: { type: 'base64', media_type: 'image/jpeg', data: PNG } },
    { url: `data:IMAGE/WEBP;base64,${PNG}`, source: { type: 'base64', media_type: 'image/webp', data: PNG } },
    { url: 'https://example.com/cat.gif', source: { type: 'url', url: 'https://example.com/cat.gif' } },
  ];
  for (const { url, source } of cases) {
    const prompt = convertToAnthropicMessages([{ role: 'user', content: [{ type: 'image_url', image_url: { url, detail: 'high' } }] }]);
    t.same(prompt.messages[0]?.content, [{ type: 'image', source }], url.slice(0, 24));
  }
});

t.test('untranslatable content is a 400 naming the exact field', async (t) => {
  const cases: Array<{ name: string; messages: ChatMessage[]; code: string; param: string }> = [
    {
      name: 'invalid tool-call JSON',
      messages: [{ role: 'user', content: 'x' }, { role: 'assistant', tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '{}' } }, { id: 'b', type: 'function', function: { name: 'f', arguments: '{"oops' } }] }],
      code: 'invalid_request',
      param: 'messages[1].tool_calls[1].function.arguments',
    },
    {
      name: 'tool-call arguments that are not an object',
      messages: [{ role: 'assistant', tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '[1,2]' } }] }],
      code: 'invalid_request',
      param: 'messages[0].tool_calls[0].function.arguments',
    },
    {
      name: 'image of an unsupported type',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }, { type: 'image_url', image_url: { url: 'data:image/bmp;base64,Qk0=' } }] }],
      code: 'invalid_request',
      param: 'messages[0].content[1].image_url.url',
    },
    {
      name: 'data: URL not in base64',
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png,rawbytes' } }] }],
      code: 'invalid_request',
      param: 'messages[0].content[0].image_url.url',
    },
    {
      name: 'image URL of another scheme',
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'file:///etc/passwd' } }] }],
      code: 'invalid_request',
      param: 'messages[0].content[0].image_url.url',
    },
    {
      name: 'audio part',
      messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'x', format: 'wav' } }] }],
      code: 'unsupported_parameter',
      param: 'messages[0].content[0]',
    },
    {
      name: 'image in a system message',
      messages: [{ role: 'system', content: [{ type: 'image_url', image_url: { url: 'https://e.com/a.png' } }] }, { role: 'user', content: 'x' }],
      code: 'unsupported_parameter',
      param: 'messages[0].content[0]',
    },
    {
      name: 'tool message without tool_call_id',
      messages: [{ role: 'tool', content: 'result' }],
      code: 'invalid_request',
      param: 'messages[0].tool_call_id',
    },
    { name: 'nothing but a system prompt', messages: [{ role: 'system', content: 'Be brief.' }], code: 'invalid_request', param: 'messages' },
  ];
  for (const { name, messages, code, param } of cases) {
    const error = rejectionOf(messages);
    t.equal(error.status, 400, `${name}: 400`);
    t.equal(error.code, code, `${name}: ${code}`);
    t.equal(error.param, param, `${name}: names ${param}`);
    t.ok(error.message.includes(param), `${name}: the message names the field`);
  }
});
