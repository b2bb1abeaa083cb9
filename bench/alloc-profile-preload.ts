import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Session } from 'node:inspector';
import { isMainThread } from 'node:worker_threads';

/**
 * Loaded into the gateway with `--import` by `npm run bench -- --alloc-profile`. Samples what the
 * gateway's main thread allocates, collected objects included (V8's sampling heap profiler), between
 * two files the benchmark creates in BENCH_ALLOC_PROFILE_DIR: `alloc.start` and `alloc.stop`. The
 * profile is then written there as `alloc.heapprofile`.
 */
const dir = process.env.BENCH_ALLOC_PROFILE_DIR;
const SAMPLING_INTERVAL_BYTES = 8192;

if (isMainThread && dir !== undefined) {
  const session = new Session();
  session.connect();
  const post = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
  // A profiler that refuses (an older Node) must not crash the gateway: the benchmark prints why.
  const failed = (error: unknown) => writeFileSync(path.join(dir, 'alloc.error'), String(error));
  let state: 'waiting' | 'sampling' | 'done' = 'waiting';
  const poll = setInterval(() => {
    if (state === 'waiting' && existsSync(path.join(dir, 'alloc.start'))) {
      state = 'sampling';
      void post('HeapProfiler.enable').then(() =>
        post('HeapProfiler.startSampling', { samplingInterval: SAMPLING_INTERVAL_BYTES, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true }),
      ).catch(failed);
    } else if (state === 'sampling' && existsSync(path.join(dir, 'alloc.stop'))) {
      state = 'done';
      clearInterval(poll);
      void post('HeapProfiler.stopSampling')
        .then((result) => writeFileSync(path.join(dir, 'alloc.heapprofile'), JSON.stringify((result as { profile: unknown }).profile)))
        .catch(failed);
    }
  }, 50);
  poll.unref();
}
