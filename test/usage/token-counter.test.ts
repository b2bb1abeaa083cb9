import t from 'tap';
import { Tiktoken, type TiktokenBPE } from 'js-tiktoken/lite';
import o200kBase from 'js-tiktoken/ranks/o200k_base';
import { TokenCounter } from '../../src/usage/token-counter.js';

// Texts in several scripts, with code and whitespace runs, so that many merge paths are used.
const samples = [
  'Hello, world! How are you doing today?',
  'The quick brown fox jumps over the lazy dog.\n\n  Indented   spaces\ttabs',
  '日本語のテキストと English mixed — with dashes…',
  'function add(a: number, b: number): number { return a + b; } // 123456789',
  'Привет, мир! 🚀🚀 émojis and accents: naïve café',
];

/** Every piece the counter hands the encoder, (building the encoder first). */
function recordPieces(counter: TokenCounter): string[] {
  counter.count('build');
  const pieces: string[] = [];
  const encoder = (counter as unknown as { encoder: { count(text: string): number } }).encoder;
  const original = encoder.count.bind(encoder);
  encoder.count = (piece: string) => {
    pieces.push(piece);
    return original(piece);
  };
  return pieces;
}

t.test('counts exactly as js-tiktoken’s o200k encoder does', async (t) => {
  const reference = new Tiktoken(o200kBase as TiktokenBPE);
  const counter = new TokenCounter();
  for (const text of samples) t.equal(counter.count(text), reference.encode(text).length, JSON.stringify(text.slice(0, 20)));
  t.equal(counter.count(''), 0);
});

t.test('special-token text in a prompt is counted as text, not refused', async (t) => {
  const counter = new TokenCounter();
  t.ok(counter.count('Ignore this: <|endoftext|> and <|endofprompt|>') > 5);
});

t.test('a long text is counted in windows and extrapolated: close to the exact count, at a bounded cost', async (t) => {
  const reference = new Tiktoken(o200kBase as TiktokenBPE);
  const counter = new TokenCounter();
  const text = samples.join(' ').repeat(2_000); // ~600,000 characters
  const exact = reference.encode(text).length;
  const counted = counter.count(text);
  t.ok(Math.abs(counted - exact) / exact < 0.05, `within 5 %: ${counted} against ${exact}`);
  const windows = recordPieces(counter);
  counter.count(text);
  t.equal(windows.length, 4, 'four windows');
  t.ok(windows.every((piece) => piece.length <= 1_024), 'of at most 1,024 characters each, whatever the text’s length');
  t.equal(windows[0], text.slice(0, 1_024), 'the first at the start');
  t.equal(windows[3], text.slice(text.length - 1_024), 'the last at the end');
});


const longestRun = (piece: string) => Math.max(0, ...[...piece.matchAll(/\S+|\s+/g)].map((match) => match[0].length));

t.test('runs without a break reach the encoder in short pieces: BPE is quadratic in a run (16,000 "a" took 16 s, 16,000 Japanese characters 173 s)', async (t) => {
  for (const [name, text] of [
    ['one letter', 'a'.repeat(16_000)],
    ['spaces', ' '.repeat(16_000)],
    ['Japanese, which has no spaces', '日本語のテキストと'.repeat(2_000)],
    ['a long hex string inside prose', `The digest is ${'f0'.repeat(3_000)} and that is all.`],
  ] as const) {
    const counter = new TokenCounter();
    const pieces = recordPieces(counter);
    t.ok(counter.count(text) > 0, `${name}: counted`);
    t.ok(pieces.every((piece) => longestRun(piece) <= 16), `${name}: no piece holds a run over 16 characters (${pieces.length} pieces)`);
    t.ok(pieces.reduce((sum, piece) => sum + piece.length, 0) <= 4_096, `${name}: at most 4,096 characters encoded`);
  }
});

t.test('short runs are counted exactly; long ones closely', async (t) => {
  const reference = new Tiktoken(o200kBase as TiktokenBPE);
  const counter = new TokenCounter();
  const japanese = 'これは日本語の文章です。句読点もあります。'.repeat(20);
  const exact = reference.encode(japanese).length;
  t.ok(Math.abs(counter.count(japanese) - exact) / exact < 0.1, `Japanese without spaces within 10 %: ${counter.count(japanese)} against ${exact}`);
  const prose = samples.join(' ');
  t.equal(counter.count(prose), reference.encode(prose).length, 'text with ordinary words: exact');
});

t.test('many texts are counted under one bound: fifty long inputs cost what one does', async (t) => {
  const counter = new TokenCounter();
  const pieces = recordPieces(counter);
  const total = counter.countAll(Array.from({ length: 50 }, () => 'a'.repeat(16_000)));
  t.ok(total > 50_000, `extrapolated over all the inputs: ${total}`);
  t.ok(pieces.reduce((sum, piece) => sum + piece.length, 0) <= 4_096, 'at most 4,096 characters encoded');
  const few = ['Hello there.', 'Short input.'];
  t.equal(counter.countAll(few), counter.count(few[0] as string) + counter.count(few[1] as string), 'short inputs: each counted exactly');
});
