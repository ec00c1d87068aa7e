// The Linode provider: readers for steps and waits, writers for the executor.
export { connectLinode, LINODE_DEFAULT_API_URL, type LinodeClient } from './connect.js';
export { createLinodeReader } from './reader.js';
export { createLinodeWriter } from './writer.js';
