// One benchmark figure: an absolute value, a ratio against its yardstick, and the goal.
export interface BenchResult {
  readonly name: string;
  readonly value: string;
  readonly ratio: number | undefined;
  readonly goal: string;
  readonly met: boolean;
  /** How it was measured, when the row cannot say it: printed under the table. */
  readonly notes?: readonly string[];
}
