import { readFileSync } from 'node:fs';

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SamplingNode[];
}

/** `…/node_modules/openai/internal/headers.mjs` → `openai`; the gateway's own files → `gateway: <dir>`. */
function ownerOf(url: string): string {
  if (url.includes('/node_modules/')) {
    const parts = url.slice(url.lastIndexOf('/node_modules/') + '/node_modules/'.length).split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? url);
  }
  if (url.includes('/dist/')) return `gateway: ${url.replace(/^.*\/dist\/(src\/)?/, '').split('/')[0]}`;
  if (url.startsWith('node:')) return 'node (http, streams, timers…)';
  return url === '' ? '(V8 built-ins: Map, Set, iterators…)' : url;
}

/** Bytes allocated per call, by package and by function, from the sampling heap profile. */
export function summarizeAllocations(file: string, calls: number, top: number): string {
  const root = (JSON.parse(readFileSync(file, 'utf8')) as { head: SamplingNode }).head;
  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  const visit = (node: SamplingNode) => {
    const { functionName, url, lineNumber } = node.callFrame;
    total += node.selfSize;
    const owner = ownerOf(url);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + node.selfSize);
    const where = `${functionName || '(anonymous)'}  ${url.replace(/^.*node_modules\//, '').replace(/^.*\/dist\//, 'dist/')}:${lineNumber + 1}`;
    byFunction.set(where, (byFunction.get(where) ?? 0) + node.selfSize);
    for (const child of node.children) visit(child);
  };
  visit(root);
  const rows = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, bytes]) => `${((bytes / total) * 100).toFixed(1).padStart(5)}%  ${(bytes / Math.max(1, calls) / 1024).toFixed(1).padStart(6)} KB/call  ${name}`)
      .join('\n');
  return [
    `gateway allocations (main thread, collected objects included): ${(total / 2 ** 20).toFixed(0)} MB over ${calls} calls = ${(total / Math.max(1, calls) / 1024).toFixed(0)} KB per call`,
    `by package:\n${rows(byOwner)}`,
    `by function (self):\n${rows(byFunction)}`,
  ].join('\n');
}
