// Files that hold a credential (a kubeconfig, a token) are readable by their owner only, also when
// they replace a file that was there with wider rights: writeFileSync's mode applies only to new files.
import { chmodSync, writeFileSync } from 'node:fs';

export function writePrivate(path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o600 });
  chmodSync(path, 0o600);
}
