// Notifications: run progress in the team's chat (Discord, or any Slack-compatible webhook).
export { createRunNotifier } from './run-messages.js';
export { createWebhookNotifier, notifierFromEnvironment, type Notifier } from './webhook.js';
