import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/project-root.js';

/**
 * Recorded provider answers, copied byte for byte from the team's `shared/fixtures/` into the
 * repository, so that `npm test` runs on a fresh clone anywhere; SOURCES.md beside them names
 * each file's origin, commit and license.
 */
const fixturesDir = path.resolve(projectRoot, 'test', 'fixtures', 'recorded');

export function fixturePath(name: string): string {
  return path.join(fixturesDir, name);
}

export function readFixture(name: string): string {
  return readFileSync(fixturePath(name), 'utf8');
}

/** One JSON value per non-empty line. */
export function readJsonLines<T = unknown>(name: string): T[] {
  return readFixture(name)
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}
