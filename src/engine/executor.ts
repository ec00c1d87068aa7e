// The one place that changes the world: the kind's definition performs the action through the
// writers only the executor is handed.
import type { MutationOptions, Writers } from './ports.js';
import { type Action, actionDefinition } from './vocabulary/index.js';

export function executeAction(
  action: Action,
  writers: Writers,
  options: MutationOptions = {},
): Promise<void> {
  return actionDefinition(action).perform(action, writers, options);
}
