// What Alertmanager sends a webhook_config receiver (version 4, the recorded shape), and a poster for
// `runbook serve` on loopback.
import { startDeadline } from '../../src/engine/deadline.js';
export interface SentAlert {
  readonly status: 'firing' | 'resolved';
  readonly labels: Readonly<Record<string, string>>;
}

export function alertmanagerPayload(alerts: readonly SentAlert[]) {
  return {
    version: '4',
    groupKey: '{}/{severity="page"}:{alertname="PostgresqlDown"}',
    truncatedAlerts: 0,
    status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    receiver: 'runbook',
    groupLabels: { alertname: alerts[0]?.labels.alertname ?? '' },
    commonLabels: { prometheus: 'monitoring/k8s', severity: 'page' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.monitoring.svc:9093',
    alerts: alerts.map((a, i) => ({
      status: a.status,
      labels: { prometheus: 'monitoring/k8s', severity: 'page', ...a.labels },
      annotations: { summary: `${a.labels.alertname ?? ''} fired` },
      startsAt: '2020-12-11T13:24:07.123Z',
      endsAt: a.status === 'resolved' ? '2020-12-11T13:54:07.123Z' : '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.monitoring.svc:9090/graph?g0.expr=pg_up+%3D%3D+0&g0.tab=1',
      fingerprint: `c6eadffa33fcdf3${i}`,
    })),
  };
}

/** POSTs a body to serve, as Alertmanager's http_config.authorization sends the token. */
export async function postTo(
  url: string,
  body: string | Buffer,
  token: string | undefined,
): Promise<{ status: number; text: string }> {
  const deadline = startDeadline(30_000);
  try {
    const response = await deadline.race(
      fetch(`${url}/alertmanager`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }),
        },
        body,
        signal: deadline.signal,
      }),
    );
    return { status: response.status, text: await deadline.race(response.text()) };
  } finally {
    deadline.dispose();
  }
}
