import t from 'tap';
import { embedMany, generateText, jsonSchema, streamText, tool } from 'ai';
import { createOpenAI } from '@ai-sdk/openai';
import { startGateway } from '../../helpers/gateway.js';

// A second real client (Vercel AI SDK 6 with @ai-sdk/openai 3): `.chat()` speaks Chat Completions.
t.test('the Vercel AI SDK talks to the gateway', async (t) => {
  const gw = await startGateway(t);
  const provider = createOpenAI({ baseURL: gw.baseURL, apiKey: gw.apiKey });

  t.test('generateText', async (t) => {
    const result = await generateText({ model: provider.chat('mock-chat'), prompt: 'hello from ai' });
    t.equal(result.text, 'This is the mock model. You said: "hello from ai"');
    t.equal(result.finishReason, 'stop');
    t.ok((result.usage.totalTokens ?? 0) > 0, 'usage parsed');
  });

  t.test('streamText with a tool: the streamed tool call is parsed', async (t) => {
    const result = streamText({
      model: provider.chat('mock-chat'),
      prompt: 'weather?',
      tools: {
        weather: tool({ description: 'Weather of a city', inputSchema: jsonSchema<{ city: string }>({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }) }),
      },
    });
    const calls = await result.toolCalls;
    t.equal(calls.length, 1);
    t.equal(calls[0]?.toolName, 'weather');
    t.same(calls[0]?.input, { city: 'mock' });
    t.equal(await result.finishReason, 'tool-calls');
    t.ok(((await result.usage).totalTokens ?? 0) > 0, 'ai-sdk asks include_usage and gets the usage chunk');
  });

  t.test('embedMany (encoding_format float)', async (t) => {
    const { embeddings } = await embedMany({ model: provider.embedding('mock-embed'), values: ['a', 'b'] });
    t.equal(embeddings.length, 2);
    t.equal(embeddings[0]?.length, 16);
  });
});
