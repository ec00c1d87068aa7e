// Preload (`node --expose-gc --import <this>`): forces a full garbage collection every few tens of
// milliseconds, so a bound that only holds while its timer is not collected fails under test.
// GC_PRESSURE_MS sets the period (default 30); on exit the number of collections is written to
// stderr as `gc-pressure: <n> collections`, so a test can tell the GC really ran.
if (typeof globalThis.gc !== 'function') {
  throw new Error('gc-pressure needs node --expose-gc');
}
const period = Number(process.env.GC_PRESSURE_MS ?? '30');
let collections = 0;
const timer = setInterval(() => {
  globalThis.gc();
  collections += 1;
}, period);
timer.unref();
globalThis.gcPressureCollections = () => collections;
process.on('exit', () => {
  process.stderr.write(`gc-pressure: ${collections} collections\n`);
});
