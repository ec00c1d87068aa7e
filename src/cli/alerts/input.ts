// Where for-alert's alerts come from: Alertmanager's webhook JSON on standard input or in a file, or
// one alert name and its --label values typed by hand.
import { readFile } from 'node:fs/promises';
import { startDeadline } from '../../engine/deadline.js';
import { invalidParameter, usageError } from '../../engine/errors.js';
import { printable } from '../errors.js';
import type { Io } from '../io.js';
import { type AlertGroup, parsePayload } from './payload.js';

export interface AlertInput {
  readonly label: readonly string[];
  readonly payload?: string;
}

/** Beyond this, what arrives is not one alert group: refused rather than held in memory. */
const MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;

function parseLabels(labels: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    labels.map((label) => {
      const at = label.indexOf('=');
      if (at <= 0) throw invalidParameter(`--label ${printable(label)} must look like name=value.`);
      return [label.slice(0, at), label.slice(at + 1)];
    }),
  );
}

/** Alertmanager's JSON arrives at once: a pipe left open with nothing coming is not waited on for ever. */
const STDIN_SECONDS = 30;

function stdinSeconds(io: Io): number {
  const text = io.env.RUNBOOK_STDIN_TIMEOUT;
  if (text === undefined || text === '') return STDIN_SECONDS;
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw invalidParameter(
      `RUNBOOK_STDIN_TIMEOUT must be a whole number of seconds; "${printable(text)}" is not.`,
    );
  }
  return Number(text);
}

async function readAll(io: Io): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of io.stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > MAX_PAYLOAD_BYTES) {
      throw invalidParameter('Standard input is larger than 16 MiB: not an Alertmanager webhook payload.');
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readStdin(io: Io): Promise<string> {
  const seconds = stdinSeconds(io);
  const deadline = startDeadline(seconds * 1000);
  try {
    return await deadline.race(readAll(io));
  } catch (error) {
    if (!deadline.expired) throw error;
    io.stdin.pause();
    (io.stdin as { destroy?: () => void }).destroy?.();
    throw usageError(
      `Standard input did not end within ${seconds} s: pipe Alertmanager's whole JSON into runbook for-alert, or give --payload <file>.`,
    );
  } finally {
    deadline.dispose();
  }
}

async function readPayload(from: string, io: Io): Promise<AlertGroup> {
  if (from === '-') return parsePayload(await readStdin(io), 'Standard input');
  let text: string;
  try {
    text = await readFile(from, 'utf8');
  } catch {
    throw invalidParameter(
      `The payload file ${from} cannot be read: give a file Alertmanager's JSON was saved to.`,
    );
  }
  return parsePayload(text, `The payload file ${from}`);
}

/** The alerts to answer, from whichever input was given. */
export async function alertsFrom(name: string | undefined, options: AlertInput, io: Io): Promise<AlertGroup> {
  const fromPayload = options.payload ?? (name === '-' ? '-' : undefined);
  if (fromPayload !== undefined) {
    if (options.payload !== undefined && name !== undefined) {
      throw usageError('Give an alert name or --payload, not both.');
    }
    if (options.label.length > 0) {
      throw usageError('--label goes with an alert name: a payload carries its own labels.');
    }
    return readPayload(fromPayload, io);
  }
  if (name !== undefined) {
    const labels = { ...parseLabels(options.label), alertname: name };
    return { alerts: [{ status: 'firing', labels }], truncated: 0, externalURL: undefined };
  }
  const nothing = usageError(
    'Give an alert name, --payload <file>, or Alertmanager’s webhook JSON on standard input.',
    'e.g. `runbook for-alert KubeNodeNotReady --label node=<name>`, or `runbook for-alert --payload alert.json`.',
  );
  if (options.label.length > 0 || io.stdin.isTTY === true) throw nothing;
  const text = await readStdin(io);
  if (text.trim() === '') throw nothing;
  return parsePayload(text, 'Standard input');
}
