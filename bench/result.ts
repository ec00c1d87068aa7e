// One benchmark figure: an absolute value, a ratio against its yardstick, and the goal.
export interface BenchResult {
  readonly name: string;
  readonly value: string;
  readonly ratio: number | undefined;
  readonly goal: string;
  readonly met: boolean;
}
