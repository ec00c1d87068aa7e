// Preload (`node --expose-gc --import <this>`): forces a full garbage collection every few tens of
// milliseconds, so a bound that only holds while its timer is not collected fails under test.
// GC_PRESSURE_MS sets the period (default 30). GC_PRESSURE_START=on-demand waits for
// globalThis.gcPressure.start() (module loading under forced collections is slow); the number of
// collections is globalThis.gcPressure.collections(), and is written to stderr on exit as
// `gc-pressure: <n> collections`, so a test can tell the GC really ran.
if (typeof globalThis.gc !== 'function') {
  throw new Error('gc-pressure needs node --expose-gc');
}
const gc = globalThis.gc;
const period = Number(process.env.GC_PRESSURE_MS ?? '30');
let collections = 0;
let timer;
const start = () => {
  if (timer !== undefined) return;
  timer = setInterval(() => {
    gc();
    collections += 1;
  }, period);
  timer.unref();
};
globalThis.gcPressure = { start, collections: () => collections };
if (process.env.GC_PRESSURE_START !== 'on-demand') start();
process.on('exit', () => {
  process.stderr.write(`gc-pressure: ${collections} collections\n`);
});
