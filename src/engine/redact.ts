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

/** The secrets a process may hold, by the names the tool reads them from. */
export function secretsInEnvironment(env: Readonly<Record<string, string | undefined>>): string[] {
  const values = [env.LINODE_TOKEN, env.PGPASSWORD, env.DISCORD_WEBHOOK_URL, env.SLACK_WEBHOOK_URL];
  const databaseUrl = env.DATABASE_URL;
  if (databaseUrl !== undefined) {
    try {
      const password = new URL(databaseUrl).password;
      if (password !== '') values.push(decodeURIComponent(password), password);
    } catch {
      values.push(databaseUrl);
    }
  }
  return values.filter((v): v is string => v !== undefined && v !== '');
}
