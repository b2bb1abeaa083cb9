import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/project-root.js';

/** `shared/` sits beside the repository, on developer machines and in CI alike. */
const fixturesDir = path.resolve(projectRoot, '..', 'shared', 'fixtures');

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
