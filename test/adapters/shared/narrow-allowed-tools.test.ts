import t from 'tap';
import { narrowToAllowedTools } from '../../../src/adapters/shared/narrow-allowed-tools.js';
import type { ToolChoice, ToolDefinition } from '../../../src/adapters/types.js';

const tool = (name: string): ToolDefinition => ({ type: 'function', function: { name, parameters: { type: 'object', properties: {} } } });
const tools = [tool('weather'), tool('time'), tool('news')];
const allowed = (mode: 'auto' | 'required', ...names: string[]): ToolChoice => ({
  type: 'allowed_tools',
  allowed_tools: { mode, tools: names.map((name) => ({ type: 'function', function: { name } })) },
});

t.test('allowed_tools becomes the allowed tools alone, in their order, with the mode as the choice', async (t) => {
  t.same(narrowToAllowedTools({ tools, tool_choice: allowed('required', 'news', 'weather') }), { tools: [tool('news'), tool('weather')], tool_choice: 'required' });
  t.same(narrowToAllowedTools({ tools, tool_choice: allowed('auto', 'time', 'time') }), { tools: [tool('time')], tool_choice: 'auto' }, 'a name given twice is kept once');
});

t.test('every other tool choice passes as it came', async (t) => {
  for (const tool_choice of ['auto', 'none', 'required', { type: 'function', function: { name: 'time' } }, undefined] as const) {
    const selection = { tools, tool_choice };
    t.equal(narrowToAllowedTools(selection), selection, JSON.stringify(tool_choice));
  }
});

t.test('an allowed tool that is not listed, or not a function, is a 400 naming it', async (t) => {
  t.throws(() => narrowToAllowedTools({ tools, tool_choice: allowed('auto', 'weather', 'stocks') }), {
    status: 400,
    code: 'invalid_request',
    param: 'tool_choice.allowed_tools.tools[1].function.name',
    message: /'stocks', which is not in 'tools'/,
  });
  const custom: ToolChoice = { type: 'allowed_tools', allowed_tools: { mode: 'auto', tools: [{ type: 'custom' }] } };
  t.throws(() => narrowToAllowedTools({ tools, tool_choice: custom }), { status: 400, param: 'tool_choice.allowed_tools.tools[0]', message: /only function tools/ });
});
