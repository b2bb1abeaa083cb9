import t from 'tap';
import { convertToGeminiToolConfig, convertToGeminiTools } from '../../../src/adapters/gemini/convert-to-gemini-tools.js';
import type { ToolChoice, ToolDefinition } from '../../../src/adapters/types.js';

const weather: ToolDefinition = {
  type: 'function',
  function: {
    name: 'weather',
    description: 'Current weather',
    parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'], additionalProperties: false },
    strict: true,
  },
};
const now: ToolDefinition = { type: 'function', function: { name: 'now', parameters: { type: 'object', properties: {} } } };

t.test('function tools become one tool of function declarations with sanitised schemas', async (t) => {
  t.equal(convertToGeminiTools(undefined), undefined);
  t.equal(convertToGeminiTools([]), undefined);
  t.same(convertToGeminiTools([weather, now]), [
    {
      functionDeclarations: [
        {
          name: 'weather',
          description: 'Current weather',
          parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
        },
        { name: 'now' },
      ],
    },
  ]);
  t.throws(() => convertToGeminiTools([{ type: 'web_search' } as unknown as ToolDefinition]), { code: 'invalid_request', param: 'tools[0]' });
});

t.test('tool_choice → functionCallingConfig', async (t) => {
  const cases: Array<{ choice: ToolChoice | undefined; expected: unknown }> = [
    { choice: undefined, expected: undefined },
    { choice: 'auto', expected: { functionCallingConfig: { mode: 'AUTO' } } },
    { choice: 'none', expected: { functionCallingConfig: { mode: 'NONE' } } },
    { choice: 'required', expected: { functionCallingConfig: { mode: 'ANY' } } },
    {
      choice: { type: 'function', function: { name: 'weather' } },
      expected: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['weather'] } },
    },
  ];
  for (const { choice, expected } of cases) {
    t.same(convertToGeminiToolConfig(choice, [weather, now]), expected, JSON.stringify(choice ?? 'absent'));
  }
});

t.test('tool_choice without tools, or naming an unknown tool', async (t) => {
  t.equal(convertToGeminiToolConfig('auto', undefined), undefined, 'auto without tools says nothing');
  t.equal(convertToGeminiToolConfig('none', []), undefined, 'none without tools says nothing');
  t.throws(() => convertToGeminiToolConfig('required', undefined), { code: 'invalid_request', param: 'tool_choice' });
  t.throws(() => convertToGeminiToolConfig({ type: 'function', function: { name: 'nope' } }, [weather]), {
    code: 'invalid_request',
    param: 'tool_choice',
    message: /nope/,
  });
  t.throws(() => convertToGeminiToolConfig({ type: 'allowed_tools' } as unknown as ToolChoice, [weather]), { code: 'invalid_request', param: 'tool_choice' });
});
