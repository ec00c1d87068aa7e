// "1 step", "2 steps": every count a person reads is said with its noun in the right number.

/** `n` and its noun: `many` for any count but one (`word` + "s" unless told). */
export const plural = (n: number, word: string, many = `${word}s`): string =>
  `${String(n)} ${n === 1 ? word : many}`;
