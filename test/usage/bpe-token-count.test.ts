import t from 'tap';
import { readFileSync } from 'node:fs';
import { Tiktoken, type TiktokenBPE } from 'js-tiktoken/lite';
import o200kBase from 'js-tiktoken/ranks/o200k_base';
import { BpeRankTable } from '../../src/usage/bpe-rank-table.js';
import { BpeTokenCount } from '../../src/usage/bpe-token-count.js';

const ranks = o200kBase as TiktokenBPE;
const reference = new Tiktoken(ranks);
const table = BpeRankTable.fromTiktokenRanks(ranks.bpe_ranks);
const counter = new BpeTokenCount(table, ranks.pat_str);
const expected = (text: string) => reference.encode(text, [], []).length;

/** A small seeded generator (mulberry32), so a failing text can be found again. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

// Alphabets that take different merge paths: ASCII words and code, accents, Cyrillic, CJK,
// Arabic, Devanagari, emoji (surrogate pairs, joiners), digits, punctuation and whitespace kinds.
const alphabets = [
  'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ',
  'éèêëàâäôöûüçñßøåæÉÀ',
  'абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГД',
  '日本語のテキスト漢字中文简体繁體한국어',
  'مرحبابالعالم',
  'नमस्तेदुनिया',
  '🚀🙂👍🏽👨‍👩‍👧🇫🇷',
  '0123456789',
  '.,;:!?\'"()[]{}<>/\\|@#$%^&*-_=+~`',
  ' \t\n\r\u00a0\u3000',
];

function randomText(random: () => number, length: number): string {
  let text = '';
  while (text.length < length) {
    const alphabet = alphabets[Math.floor(random() * alphabets.length)] as string;
    const characters = [...alphabet];
    const run = 1 + Math.floor(random() * 12);
    for (let index = 0; index < run; index++) text += characters[Math.floor(random() * characters.length)];
  }
  return text;
}

t.test('counts exactly what js-tiktoken encodes, on 2,000 random texts of mixed scripts', async (t) => {
  const random = seeded(7);
  let mismatches = 0;
  for (let index = 0; index < 2_000; index++) {
    const text = randomText(random, 1 + Math.floor(random() * 200));
    if (counter.count(text) !== expected(text)) {
      mismatches++;
      if (mismatches <= 5) t.fail(`mismatch on ${JSON.stringify(text)}: ${counter.count(text)} against ${expected(text)}`);
    }
  }
  t.equal(mismatches, 0, 'no text counted differently');
});

t.test('counts exactly on real prose, code and JSON (this repository’s README, a source file, a fixture)', async (t) => {
  for (const file of ['README.md', 'src/usage/bpe-token-count.ts', 'package.json']) {
    const text = readFileSync(file, 'utf8');
    t.equal(counter.count(text), expected(text), file);
  }
});

t.test('special-token text, empty text, a lone surrogate and long runs', async (t) => {
  for (const text of ['<|endoftext|> and <|endofprompt|>', '', '\ud800 broken', 'a'.repeat(300), ' '.repeat(100) + 'x', '1234567890'.repeat(10)]) {
    t.equal(counter.count(text), expected(text), JSON.stringify(text.slice(0, 30)));
  }
});

t.test('the ranks are all there, in a few megabytes of typed arrays', async (t) => {
  t.equal(table.rankOf(Buffer.from('hello'), 0, 5), reference.encode('hello')[0], 'a whole word is one token with its rank');
  t.equal(table.rankOf(Buffer.from([0xff, 0xfe, 0xfd, 0xfc, 0xfb]), 0, 5), -1, 'bytes that are no token have none');
  const single = Buffer.from([0]);
  t.equal(table.rankOf(single, 0, 1), reference.encode('\u0000')[0], 'every single byte is a token');
  t.ok(table.byteLength < 8 * 1024 * 1024, `${(table.byteLength / 1024 / 1024).toFixed(1)} MB`);
});
