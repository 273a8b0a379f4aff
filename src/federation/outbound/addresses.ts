/**
 * Which IP addresses essfed may connect to on a stranger's behalf. A URL from outside (a key id,
 * an inbox, a redirect) must not turn the server into a way into its own network: loopback,
 * private, link-local, CGNAT and unique-local ranges are refused unless ESSFED_ALLOW_PRIVATE is
 * set (tests and local demos). Cloud metadata endpoints, multicast, broadcast and unspecified
 * addresses are refused even then: nothing federates from there. The ranges are IANA's
 * special-purpose registries (RFC 6890 and successors); node's BlockList does the matching.
 */
import { BlockList, isIP } from "node:net";

/** Refused only while private addresses are not allowed. */
const PRIVATE: [string, number, string][] = [
  ["10.0.0.0", 8, "a private address"],
  ["172.16.0.0", 12, "a private address"],
  ["192.168.0.0", 16, "a private address"],
  ["127.0.0.0", 8, "a loopback address"],
  ["169.254.0.0", 16, "a link-local address"],
  ["100.64.0.0", 10, "a carrier-grade NAT (shared) address"],
  ["192.0.0.0", 24, "an IETF protocol assignment address"],
  ["198.18.0.0", 15, "a benchmarking address"],
  ["192.0.2.0", 24, "a documentation address"],
  ["198.51.100.0", 24, "a documentation address"],
  ["203.0.113.0", 24, "a documentation address"],
  ["192.88.99.0", 24, "a deprecated 6to4 relay address"],
  ["::1", 128, "a loopback address"],
  ["fc00::", 7, "a unique-local address"],
  ["fe80::", 10, "a link-local address"],
  ["fec0::", 10, "a site-local address"],
  ["2001:db8::", 32, "a documentation address"],
  ["2001::", 23, "an IETF protocol assignment address"],
  ["2002::", 16, "a 6to4 address"],
  ["64:ff9b:1::", 48, "a local-use NAT64 address"],
  ["100::", 64, "a discard-only address"],
  ["::", 96, "a deprecated IPv4-compatible address"],
];

/** Refused whatever the configuration. */
const NEVER: [string, number, string][] = [
  ["169.254.169.254", 32, "a cloud metadata address"],
  ["169.254.170.2", 32, "a cloud metadata address"],
  ["100.100.100.200", 32, "a cloud metadata address"],
  ["192.0.0.192", 32, "a cloud metadata address"],
  ["fd00:ec2::254", 128, "a cloud metadata address"],
  ["0.0.0.0", 8, 'an unspecified ("this network") address'],
  ["::", 128, "the unspecified address"],
  ["224.0.0.0", 4, "a multicast address"],
  ["240.0.0.0", 4, "a reserved or broadcast address"],
  ["ff00::", 8, "a multicast address"],
];

function lists(ranges: [string, number, string][]): [BlockList, string][] {
  return ranges.map(([net, prefix, reason]) => {
    const list = new BlockList();
    list.addSubnet(net, prefix, isIP(net) === 6 ? "ipv6" : "ipv4");
    return [list, reason];
  });
}
const PRIVATE_LISTS = lists(PRIVATE);
const NEVER_LISTS = lists(NEVER);

/** Expands an IPv6 address into its 16 bytes (the caller has checked it with isIP). */
function ipv6Bytes(ip: string): number[] {
  let text = ip;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split(".").map(Number);
    text = text.slice(0, -dotted[1]!.length) + `${((a! << 8) | b!).toString(16)}:${((c! << 8) | d!).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? (text.split("::") as [string, string]) : [text, undefined];
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill("0"), ...t];
  return groups.flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 255];
  });
}

/**
 * The IPv4 address an IPv6 address stands for, when it is IPv4-mapped (`::ffff:a.b.c.d`) or
 * NAT64 (`64:ff9b::a.b.c.d`, what DNS64 resolvers synthesise on IPv6-only networks).
 */
function embeddedIpv4(ip: string): string | undefined {
  const b = ipv6Bytes(ip);
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  const mapped = zeros(0, 10) && b[10] === 255 && b[11] === 255;
  const nat64 = b[0] === 0 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12);
  return mapped || nat64 ? b.slice(12).join(".") : undefined;
}

/**
 * Why essfed will not connect to `ip`, or undefined when it may.
 * @param allowPrivate ESSFED_ALLOW_PRIVATE: loopback and private ranges are allowed
 * @returns a phrase such as "a private address", for "X resolves to 10.0.0.5, a private address"
 */
export function addressRefusal(ip: string, allowPrivate: boolean): string | undefined {
  const family = isIP(ip);
  if (!family) return "not an IP address";
  if (family === 6) {
    const v4 = embeddedIpv4(ip);
    if (v4) return addressRefusal(v4, allowPrivate);
  }
  const type = family === 6 ? "ipv6" : "ipv4";
  for (const [list, reason] of NEVER_LISTS) if (list.check(ip, type)) return reason;
  if (allowPrivate) return undefined;
  for (const [list, reason] of PRIVATE_LISTS) if (list.check(ip, type)) return reason;
  return undefined;
}

/** True when `addressRefusal` would refuse `ip` only because private addresses are not allowed. */
export function refusedOnlyAsPrivate(ip: string): boolean {
  return addressRefusal(ip, false) !== undefined && addressRefusal(ip, true) === undefined;
}
