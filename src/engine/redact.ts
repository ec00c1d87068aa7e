// Keeps secrets out of everything runbook writes: known secret values (tokens, passwords) and the
// password part of any URL become ***.

const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+):[^\s@/]+@/gi;

export type Redactor = (text: string) => string;

export function createRedactor(secrets: ReadonlyArray<string | undefined>): Redactor {
  const known = [...new Set(secrets.filter((s): s is string => s !== undefined && s.length >= 4))].sort(
    (a, b) => b.length - a.length,
  );
  return (text) => {
    let result = text.replace(URL_CREDENTIALS, '$1:***@');
    for (const secret of known) result = result.split(secret).join('***');
    return result;
  };
}

/** The password of a connection URL, as given and as decoded. */
export function secretsInUrl(url: string | undefined): string[] {
  if (url === undefined || url === '') return [];
  try {
    const password = new URL(url).password;
    return password === '' ? [] : [password, decodeURIComponent(password)];
  } catch {
    return [url];
  }
}

/** The secrets a process may hold, by the names the tool reads them from. */
export function secretsInEnvironment(env: Readonly<Record<string, string | undefined>>): string[] {
  const values = [env.LINODE_TOKEN, env.PGPASSWORD, env.DISCORD_WEBHOOK_URL, env.SLACK_WEBHOOK_URL];
  values.push(...secretsInUrl(env.DATABASE_URL));
  return values.filter((v): v is string => v !== undefined && v !== '');
}
