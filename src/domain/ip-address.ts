/**
 * What kind of address an IP address is, by the IANA special-purpose registries (RFC 6890 and
 * its updates): the rule that keeps webhooks from reaching into the server's own machine or
 * network (server-side request forgery). Only `public` addresses are reachable by default.
 */
export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'shared'
  | 'link_local'
  | 'unspecified'
  | 'multicast'
  | 'broadcast'
  | 'documentation'
  | 'reserved';

interface Range {
  bytes: number[];
  prefix: number;
  /** `embedded`: the class of the IPv4 address the IPv6 one carries (mapped, NAT64, 6to4). */
  is: AddressClass | { embedded: number };
}

const v4 = (cidr: string, is: AddressClass): Range => {
  const [address, prefix] = cidr.split('/') as [string, string];
  return { bytes: parseIPv4(address)!, prefix: Number(prefix), is };
};
const v6 = (cidr: string, is: Range['is']): Range => {
  const [address, prefix] = cidr.split('/') as [string, string];
  return { bytes: parseIPv6(address)!, prefix: Number(prefix), is };
};

const IPV4_RANGES: Range[] = [
  v4('0.0.0.0/8', 'unspecified'),
  v4('10.0.0.0/8', 'private'),
  v4('100.64.0.0/10', 'shared'),
  v4('127.0.0.0/8', 'loopback'),
  v4('169.254.0.0/16', 'link_local'),
  v4('172.16.0.0/12', 'private'),
  v4('192.0.0.0/24', 'reserved'),
  v4('192.0.2.0/24', 'documentation'),
  v4('192.88.99.0/24', 'reserved'),
  v4('192.168.0.0/16', 'private'),
  v4('198.18.0.0/15', 'reserved'),
  v4('198.51.100.0/24', 'documentation'),
  v4('203.0.113.0/24', 'documentation'),
  v4('224.0.0.0/4', 'multicast'),
  v4('240.0.0.0/4', 'reserved'),
  v4('255.255.255.255/32', 'broadcast'),
];

const IPV6_RANGES: Range[] = [
  v6('::/128', 'unspecified'),
  v6('::1/128', 'loopback'),
  // IPv4-compatible addresses (deprecated): nothing routes them.
  v6('::/96', 'reserved'),
  v6('::ffff:0:0/96', { embedded: 12 }),
  v6('64:ff9b::/96', { embedded: 12 }),
  v6('64:ff9b:1::/48', 'private'),
  v6('100::/64', 'reserved'),
  // IETF protocol assignments, Teredo among them: a tunnel reaches any IPv4 address.
  v6('2001::/23', 'reserved'),
  v6('2001:db8::/32', 'documentation'),
  v6('2002::/16', { embedded: 2 }),
  v6('3fff::/20', 'documentation'),
  v6('5f00::/16', 'reserved'),
  v6('fc00::/7', 'private'),
  v6('fe80::/10', 'link_local'),
  v6('fec0::/10', 'private'),
  v6('ff00::/8', 'multicast'),
];

/** The four bytes of a dotted-quad IPv4 address (the form URLs and resolvers give), or null. */
export function parseIPv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes = parts.map((p) => (/^(0|[1-9]\d{0,2})$/.test(p) ? Number(p) : NaN));
  return bytes.every((b) => b <= 255) ? bytes : null;
}

/** The sixteen bytes of an IPv6 address (with `::` and a trailing IPv4 part; a zone after `%` ignored), or null. */
export function parseIPv6(text: string): number[] | null {
  const address = text.split('%')[0]!;
  const halves = address.split('::');
  if (halves.length > 2) return null;
  const groups = (half: string): number[] | null => {
    if (half === '') return [];
    const out: number[] = [];
    const parts = half.split(':');
    for (const [i, part] of parts.entries()) {
      if (i === parts.length - 1 && part.includes('.')) {
        const four = parseIPv4(part);
        if (!four) return null;
        out.push((four[0]! << 8) | four[1]!, (four[2]! << 8) | four[3]!);
      } else if (/^[0-9a-f]{1,4}$/i.test(part)) out.push(parseInt(part, 16));
      else return null;
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return null;
  // An IPv4 part may only end the address.
  if (halves.length === 2 && halves[0]!.includes('.')) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...head, ...Array<number>(missing).fill(0), ...tail];
  return all.flatMap((g) => [g >> 8, g & 0xff]);
}

function inRange(bytes: number[], range: Range): boolean {
  for (let bit = 0; bit < range.prefix; bit++) {
    const mask = 0x80 >> bit % 8;
    if ((bytes[bit >> 3]! & mask) !== (range.bytes[bit >> 3]! & mask)) return false;
  }
  return true;
}

/** The most specific range that holds the address decides. */
function classify(bytes: number[], ranges: Range[], otherwise: (bytes: number[]) => AddressClass): AddressClass {
  let best: Range | null = null;
  for (const range of ranges) if (inRange(bytes, range) && (!best || range.prefix > best.prefix)) best = range;
  if (!best) return otherwise(bytes);
  if (typeof best.is === 'string') return best.is;
  return classifyIPv4(bytes.slice(best.is.embedded, best.is.embedded + 4));
}

const classifyIPv4 = (bytes: number[]) => classify(bytes, IPV4_RANGES, () => 'public');
// Outside the special ranges only global unicast (2000::/3) is assigned.
const classifyIPv6 = (bytes: number[]) => classify(bytes, IPV6_RANGES, (b) => ((b[0]! & 0xe0) === 0x20 ? 'public' : 'reserved'));

/** The class of an IP address in text (IPv6 with or without brackets); null when the text is no IP address. */
export function classifyAddress(text: string): AddressClass | null {
  const four = parseIPv4(text);
  if (four) return classifyIPv4(four);
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const six = bare.includes(':') ? parseIPv6(bare) : null;
  return six ? classifyIPv6(six) : null;
}
