import t from 'tap';
import { convertToGeminiContents, type ContentsContext } from '../../../src/adapters/gemini/convert-to-gemini-contents.js';
import { SKIP_THOUGHT_SIGNATURE } from '../../../src/adapters/gemini/thought-signatures.js';
import type { ChatMessage } from '../../../src/adapters/types.js';
import { GatewayError } from '../../../src/errors.js';

const signal = new AbortController().signal;

function context(overrides: Partial<ContentsContext> = {}): ContentsContext {
  return { fetchImage: undefined, signal, signatureForReplay: () => SKIP_THOUGHT_SIGNATURE, ...overrides };
}

const weatherCall = { id: 'call_a', type: 'function' as const, function: { name: 'weather', arguments: '{"location":"Paris"}' } };
const timeCall = { id: 'call_b', type: 'function' as const, function: { name: 'time', arguments: '{}' } };

t.test('roles, system instruction and text parts', async (t) => {
  const converted = await convertToGeminiContents(
    [
      { role: 'system', content: 'Be brief.' },
      { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Bonjour' },
      { role: 'user', content: [{ type: 'text', text: 'Weather?' }] },
    ],
    context(),
  );
  t.same(converted, {
    systemInstruction: { role: 'system', parts: [{ text: 'Be brief.' }, { text: 'Answer in French.' }] },
    contents: [
      { role: 'user', parts: [{ text: 'Hi' }] },
      { role: 'model', parts: [{ text: 'Bonjour' }] },
      { role: 'user', parts: [{ text: 'Weather?' }] },
    ],
  });
});

t.test('no system message: no systemInstruction at all', async (t) => {
  const converted = await convertToGeminiContents([{ role: 'user', content: 'Hi' }], context());
  t.notOk('systemInstruction' in converted);
});

t.test('assistant tool calls and tool results merged in call order', async (t) => {
  const signatures: Record<string, string | undefined> = { call_a: 'SIG-A', call_b: undefined };
  const converted = await convertToGeminiContents(
    [
      { role: 'user', content: 'Weather and time in Paris?' },
      { role: 'assistant', content: '', tool_calls: [weatherCall, timeCall] },
      // answered in the opposite order: Gemini gets them in call order
      { role: 'tool', tool_call_id: 'call_b', content: '12:00' },
      { role: 'tool', tool_call_id: 'call_a', content: [{ type: 'text', text: 'sun' }, { type: 'text', text: 'ny' }] },
      { role: 'user', content: 'Thanks' },
    ],
    context({ signatureForReplay: (id) => signatures[id] }),
  );
  t.same(converted.contents, [
    { role: 'user', parts: [{ text: 'Weather and time in Paris?' }] },
    {
      role: 'model',
      parts: [
        { functionCall: { name: 'weather', args: { location: 'Paris' } }, thoughtSignature: 'SIG-A' },
        { functionCall: { name: 'time', args: {} } },
      ],
    },
    {
      role: 'user',
      parts: [
        { functionResponse: { name: 'weather', response: { name: 'weather', content: 'sunny' } } },
        { functionResponse: { name: 'time', response: { name: 'time', content: '12:00' } } },
      ],
    },
    { role: 'user', parts: [{ text: 'Thanks' }] },
  ]);
  t.notOk('thoughtSignature' in (converted.contents[1]?.parts[1] ?? {}), 'an unsigned issued call is replayed without signature');
});

t.test('images: data URLs inline, http(s) URLs through fetchImage', async (t) => {
  const fetched: string[] = [];
  const converted = await convertToGeminiContents(
    [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Compare' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'low' } },
          { type: 'image_url', image_url: { url: 'data:text/plain,hi%20there' } },
        ],
      },
    ],
    context({
      fetchImage: async (url, fetchSignal) => {
        fetched.push(url);
        t.equal(fetchSignal, signal, 'the call signal is passed to the fetcher');
        return { mimeType: 'image/jpeg', base64: '/9j/4AA=' };
      },
    }),
  );
  t.same(converted.contents[0]?.parts, [
    { text: 'Compare' },
    { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
    { inlineData: { mimeType: 'image/jpeg', data: '/9j/4AA=' } },
    { inlineData: { mimeType: 'text/plain', data: Buffer.from('hi there').toString('base64') } },
  ]);
  t.same(fetched, ['https://example.com/cat.jpg']);
});

t.test("a download the gateway's fetcher refuses names the part whose URL it was, as every other image error does", async (t) => {
  const refusing = context({
    fetchImage: async (url) => {
      throw new GatewayError('invalid_request', `The image URL ${url} cannot be fetched: it resolves to a private address.`, { param: 'messages', hint: 'Send the image inline.' });
    },
  });
  const messages: ChatMessage[] = [{ role: 'user', content: [{ type: 'text', text: 'Look' }, { type: 'image_url', image_url: { url: 'http://10.0.0.1/a.png' } }] }];
  await t.rejects(convertToGeminiContents(messages, refusing), { code: 'invalid_request', param: 'messages[0].content[1].image_url.url', hint: 'Send the image inline.', message: /private address/ });
});

t.test('requests that cannot be translated are 400s naming the field', async (t) => {
  const cases: Array<{ name: string; messages: ChatMessage[]; code: string; param: string }> = [
    // Gemini answers 400 to a request without contents or with an empty text part: refused before the call counts.
    { name: 'system messages only', messages: [{ role: 'system', content: 'Be brief.' }], code: 'invalid_request', param: 'messages' },
    { name: 'one empty user message', messages: [{ role: 'user', content: '' }], code: 'invalid_request', param: 'messages' },
    { name: 'a user message with no parts', messages: [{ role: 'user', content: [] }], code: 'invalid_request', param: 'messages' },
    {
      name: 'invalid tool-call JSON',
      messages: [{ role: 'assistant', content: null, tool_calls: [{ ...weatherCall, function: { name: 'weather', arguments: '{"location":' } }] }],
      code: 'invalid_request',
      param: 'messages[0].tool_calls[0].function.arguments',
    },
    {
      name: 'tool-call arguments that are not an object',
      messages: [{ role: 'user', content: 'x' }, { role: 'assistant', content: null, tool_calls: [{ ...weatherCall, function: { name: 'weather', arguments: '[1]' } }] }],
      code: 'invalid_request',
      param: 'messages[1].tool_calls[0].function.arguments',
    },
    {
      name: 'a tool result answering no preceding call',
      messages: [{ role: 'assistant', content: null, tool_calls: [weatherCall] }, { role: 'tool', tool_call_id: 'call_zzz', content: 'x' }],
      code: 'invalid_request',
      param: 'messages[1].tool_call_id',
    },
    {
      name: 'an http image without a fetcher',
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] }],
      code: 'unsupported_parameter',
      param: 'messages[0].content[0].image_url.url',
    },
    {
      name: 'an audio part',
      messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'x', format: 'wav' } }] }],
      code: 'unsupported_parameter',
      param: 'messages[0].content[0]',
    },
    {
      name: 'an image in a system message',
      messages: [{ role: 'system', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,AA==' } }] }],
      code: 'invalid_request',
      param: 'messages[0].content[0]',
    },
    {
      name: 'a malformed data URL',
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:;base64' } }] }],
      code: 'invalid_request',
      param: 'messages[0].content[0].image_url.url',
    },
  ];
  for (const testCase of cases) {
    await t.rejects(convertToGeminiContents(testCase.messages, context()), { code: testCase.code, param: testCase.param, status: 400 }, testCase.name);
  }
  const error = await convertToGeminiContents(cases[0]!.messages, context()).catch((caught: unknown) => caught);
  t.type(error, GatewayError);
});

t.test('an empty text part is left out, as Gemini refuses one', async (t) => {
  const converted = await convertToGeminiContents(
    [{ role: 'user', content: [{ type: 'text', text: '' }, { type: 'text', text: 'Hi' }] }, { role: 'user', content: '' }],
    context(),
  );
  t.same(converted.contents, [{ role: 'user', parts: [{ text: 'Hi' }] }]);
});

t.test('empty tool-call arguments mean no arguments', async (t) => {
  const converted = await convertToGeminiContents(
    [{ role: 'assistant', content: null, tool_calls: [{ ...timeCall, function: { name: 'time', arguments: '' } }] }],
    context(),
  );
  t.same(converted.contents[0]?.parts[0], { functionCall: { name: 'time', args: {} }, thoughtSignature: SKIP_THOUGHT_SIGNATURE });
});
