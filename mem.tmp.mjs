import v8 from 'node:v8';
await import('./dist/server.js');
setTimeout(() => {
  const m = process.memoryUsage();
  const mb = (x) => (x / 1048576).toFixed(1);
  console.error('MEM rss', mb(m.rss), 'heapTotal', mb(m.heapTotal), 'heapUsed', mb(m.heapUsed), 'external', mb(m.external), 'arrayBuffers', mb(m.arrayBuffers));
  for (const s of v8.getHeapSpaceStatistics()) console.error('MEM', s.space_name, 'size', mb(s.space_size), 'used', mb(s.space_used_size));
  globalThis.gc?.();
  const m2 = process.memoryUsage();
  console.error('MEM after gc rss', mb(m2.rss), 'heapUsed', mb(m2.heapUsed));
  process.exit(0);
}, 3000);
