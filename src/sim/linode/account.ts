// The account and profile a runbook shows in its header ("which Linode account will this touch?"):
// plausible, and free of anything secret.
import { linodeTime } from './format.js';
import type { Store } from './store.js';

export function accountView(): Record<string, unknown> {
  return {
    active_since: linodeTime(Date.UTC(2018, 5, 1, 12, 0, 0)),
    address_1: '',
    address_2: '',
    balance: 0,
    balance_uninvoiced: 0,
    billing_source: 'linode',
    capabilities: ['Linodes', 'NodeBalancers', 'Block Storage', 'Kubernetes', 'Object Storage'],
    city: '',
    company: 'Python Discord',
    country: 'GB',
    credit_card: { expiry: null, last_four: null },
    email: 'devops@pythondiscord.com',
    euuid: 'E5B3C2A1-7F6D-4E8B-9A1C-0D2E3F4A5B6C',
    first_name: 'DevOps',
    last_name: 'Team',
    phone: '',
    state: '',
    tax_id: '',
    zip: '',
    active_promotions: [],
  };
}

export function profileView(store: Store): Record<string, unknown> {
  return {
    uid: 1_047_200,
    username: store.username,
    email: 'devops@pythondiscord.com',
    timezone: 'Europe/London',
    email_notifications: true,
    ip_whitelist_enabled: false,
    lish_auth_method: 'keys_only',
    authorized_keys: null,
    two_factor_auth: true,
    restricted: false,
    verified_phone_number: null,
    user_type: 'default',
    referrals: { code: '', url: '', total: 0, completed: 0, pending: 0, credit: 0 },
  };
}
