// Linode's wire formats in one place: timestamps without a zone, derived addresses and LKE node ids.

/** `2018-01-02T03:04:05`: UTC, no zone, no milliseconds, as every Linode timestamp is served. */
export function linodeTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

/** Parses a Linode timestamp (or any ISO string) as UTC; NaN when it is not one. */
export function parseLinodeTime(text: string): number {
  const zoned = /(Z|[+-]\d\d:?\d\d)$/.test(text) ? text : `${text}Z`;
  return Date.parse(zoned);
}

/** An IPv6 /128 derived from a Linode id, shaped like Frankfurt's SLAAC addresses. */
export function ipv6For(id: number): string {
  const low = (id & 0xffff).toString(16);
  const high = ((id >>> 16) & 0xff).toString(16).padStart(2, '0');
  return `2a01:7e01::f03c:94ff:fe${high}:${low}/128`;
}

/** 12 hex digits that look like a real LKE node id suffix, deterministic in `seq`. */
export function nodeHex(seq: number): string {
  const mixed = Math.imul(seq + 0x9e37, 0x9e3779b1) >>> 0;
  return `${mixed.toString(16).padStart(8, '0')}0000`;
}

/** A stable fake UUID for fields like host_uuid, derived from a number. */
export function uuidFor(seed: number): string {
  const hex = (n: number): string => (Math.imul(seed + n, 0x85ebca6b) >>> 0).toString(16).padStart(8, '0');
  const all = hex(1) + hex(2) + hex(3) + hex(4);
  return `${all.slice(0, 8)}-${all.slice(8, 12)}-4${all.slice(13, 16)}-a${all.slice(17, 20)}-${all.slice(20, 32)}`;
}
