import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import t from 'tap';
import { projectRoot } from '../../src/project-root.js';

/**
 * No Docker engine runs here, so the Dockerfile is checked by reading it. These are the
 * assumptions it rests on that a change elsewhere can break without anyone noticing until a
 * build or a container start fails: the runtime stage installs `dependencies` only (npm ci
 * --omit=dev), copies named files from a context that .dockerignore filters, and starts
 * dist/server.js.
 */
const dockerfile = readFileSync(path.join(projectRoot, 'Dockerfile'), 'utf8');
const dockerignore = readFileSync(path.join(projectRoot, '.dockerignore'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));
const manifest = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? sourceFiles(file) : file.endsWith('.ts') ? [file] : [];
  });
}

/** The package a bare specifier names: `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
const packageOf = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

t.test('every package the gateway imports at run time is a production dependency (the image installs no others)', async (t) => {
  const builtins = new Set(builtinModules);
  const missing: string[] = [];
  let imports = 0;
  for (const file of sourceFiles(path.join(projectRoot, 'src'))) {
    const text = readFileSync(file, 'utf8');
    // Static imports and re-exports that survive compilation (`import type` is erased), and dynamic import().
    const specifiers = [
      ...[...text.matchAll(/^\s*(?:import|export)\s+(?!type\s)[^;]*?\sfrom\s+'([^']+)'/gm)].map((match) => match[1] as string),
      ...[...text.matchAll(/^\s*import\s+'([^']+)'/gm)].map((match) => match[1] as string),
      ...[...text.matchAll(/import\(\s*'([^']+)'\s*\)/g)].map((match) => match[1] as string),
      ...[...text.matchAll(/require\(\s*'([^']+)'\s*\)/g)].map((match) => match[1] as string),
    ];
    for (const specifier of specifiers) {
      if (specifier.startsWith('.') || specifier.startsWith('node:') || builtins.has(specifier)) continue;
      imports++;
      if (manifest.dependencies[packageOf(specifier)] === undefined) missing.push(`${path.relative(projectRoot, file)}: ${specifier}`);
    }
  }
  t.ok(imports > 20, `${imports} package imports found (the scan works)`);
  t.same(missing, [], 'imported at run time but not in dependencies');
});

t.test("every file the Dockerfile copies from the context exists and is not excluded by .dockerignore", async (t) => {
  const copied = [...dockerfile.matchAll(/^COPY\s+(?!--from)(.+)$/gm)].flatMap((match) => {
    const parts = (match[1] as string).trim().split(/\s+/);
    return parts.slice(0, -1);
  });
  t.ok(copied.length >= 5, `${copied.length} sources copied: ${copied.join(', ')}`);
  for (const source of copied) {
    t.ok(existsSync(path.join(projectRoot, source)), `${source} exists`);
    t.notOk(dockerignore.includes(source) || dockerignore.includes(`${source}/`), `${source} is not in .dockerignore`);
  }
});

t.test('the image starts what the build writes: dist/server.js from src/server.ts', async (t) => {
  t.match(dockerfile, /^CMD \["node", "dist\/server\.js"\]$/m);
  const build = JSON.parse(readFileSync(path.join(projectRoot, 'tsconfig.build.json'), 'utf8')) as { compilerOptions: { rootDir: string; outDir: string } };
  t.same(build.compilerOptions, { rootDir: 'src', outDir: 'dist' });
  t.ok(existsSync(path.join(projectRoot, 'src', 'server.ts')));
  t.match(dockerfile, /npm ci --omit=dev/, 'the runtime dependencies are installed without devDependencies');
  t.match(dockerfile, /^USER node$/m, 'it runs as the unprivileged node user');
  t.match(dockerfile, /^HEALTHCHECK [\s\S]*\/readyz/m, 'the health check asks /readyz');
});
