// A runbook parameter's flags as the command line takes them and as help, `show` and the docs pages
// print them: kubectl's -n beside --namespace, so what is shown is what can be typed.
import { flagFor } from '../engine/params.js';

/** kubectl's short flag for the namespace, on the parameter that names one (or several). */
const SHORT_FLAGS: Readonly<Record<string, string>> = { namespace: '-n', namespaces: '-n' };

/** `-n, --namespace <name>`, or `--deployment <name>` where there is no short flag. */
export function paramFlags(name: string, placeholder: string): string {
  const short = SHORT_FLAGS[name];
  return `${short === undefined ? '' : `${short}, `}${flagFor(name)} ${placeholder}`;
}
