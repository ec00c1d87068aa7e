// Kubernetes resource quantities ("250m", "1.5", "512Mi", "8045804Ki", "1e3") as numbers: cores for
// cpu, bytes for memory. One parser for the runbooks that read them and the simulator that schedules by them.

const FACTORS: Readonly<Record<string, number>> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The value of a quantity, or undefined when the text is not one. */
export function quantity(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const m = /^([+-]?\d+(?:\.\d+)?)(?:[eE]([+-]?\d+))?([a-zA-Z]*)$/.exec(value.trim());
  if (m?.[1] === undefined) return undefined;
  const factor = FACTORS[m[3] ?? ''];
  if (factor === undefined) return undefined;
  return Number(m[1]) * (m[2] === undefined ? 1 : 10 ** Number(m[2])) * factor;
}
