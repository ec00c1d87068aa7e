// What `runbook serve --help` says after its options: the credentials it takes from its environment,
// as Alertmanager's http_config sends them. Kept apart so main.ts does not load the server.
export const SERVE_HELP = `
Credentials (at least one, or it refuses to start with exit 18):
  RUNBOOK_SERVE_TOKEN=<token>
      a bearer token, as Alertmanager's http_config.authorization sends it
  RUNBOOK_SERVE_BASIC_AUTH=<user>:<password>
      basic auth, as its http_config.basic_auth sends it (no colon in <user>)
Chat: DISCORD_WEBHOOK_URL, else SLACK_WEBHOOK_URL.`;
