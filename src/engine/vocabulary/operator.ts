// What only a person can do: a manual step carries instructions for something outside the tool's
// reach (maintenance mode at the DNS provider, a word to the community). The run shows them and asks
// the operator to confirm it is done; nothing is performed, and a run with --yes cannot confirm it.
import { type ActionDefinitions, type PreviewMode } from './define.js';

export interface ManualAction {
  readonly kind: 'operator.manual';
  /** What is to be done, in a few words: `put the site into maintenance mode`. */
  readonly title: string;
  /** How, one line each, as the operator follows them. */
  readonly instructions: readonly string[];
  /** A run with --yes leaves it out (journaled as skipped) instead of stopping there. */
  readonly skippable: boolean;
}

export type OperatorAction = ManualAction;

/** A manual step: `manualStep({ title, instructions, skippable: true })`; not skippable by default. */
export const manualStep = (fields: {
  readonly title: string;
  readonly instructions: readonly string[];
  readonly skippable?: boolean;
}): ManualAction => ({
  kind: 'operator.manual',
  title: fields.title,
  instructions: fields.instructions,
  skippable: fields.skippable ?? false,
});

export const isManual = (action: { readonly kind: string }): action is ManualAction =>
  action.kind === 'operator.manual';

const NOT_PREVIEWABLE: PreviewMode = {
  mode: 'not-previewable',
  checked: 'a manual step is done by a person; its instructions are shown above. Nothing was asked or done',
};

export const operatorActions = {
  'operator.manual': {
    permissions: [],
    describe: (a) => ({
      title: `by hand: ${a.title}`,
      before: a.instructions.join(' / '),
      after: `done by the operator, who confirms it${a.skippable ? ' (left out with --yes)' : ''}`,
      destructive: false,
      confirmName: undefined,
      equivalent: `(by hand) ${a.instructions.join('; ')}`,
    }),
    preview: NOT_PREVIEWABLE,
    // The operator did it before answering yes: nothing is left for the tool to do.
    perform: () => Promise.resolve(),
  },
} satisfies ActionDefinitions<OperatorAction>;
