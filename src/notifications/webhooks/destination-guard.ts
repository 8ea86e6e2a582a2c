import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { badInput } from '../../common/domain-error';

export type HostLookup = (hostname: string) => Promise<{ address: string; family: number }[]>;

const systemLookup: HostLookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** Where a delivery may go: production refuses loopback too; elsewhere the local receiver is allowed. */
export interface DestinationPolicy {
  allowLoopback: boolean;
  lookup?: HostLookup;
}

/** The checked address a connection must use (pinned, so a second DNS answer cannot swap it). */
export interface CheckedDestination {
  url: URL;
  address: string;
  family: 4 | 6;
}

export class RefusedDestinationError extends Error {}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Never a webhook destination, in any environment: private, link-local, shared, reserved, multicast. */
const NEVER = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network"; 0.0.0.0 reaches the local host
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['169.254.0.0', 16], // link-local, cloud metadata services
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved and broadcast
] as const) {
  NEVER.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // old site-local
  ['ff00::', 8], // multicast
  ['2001:db8::', 32], // documentation
  ['100::', 64], // discard
] as const) {
  NEVER.addSubnet(network, prefix, 'ipv6');
}

/**
 * Checks a webhook URL and resolves its host: every address the name resolves to must be allowed
 * (an attacker's name may answer with one public and one private address), and the first is
 * returned for the connection to use. IPv4 written inside IPv6 (::ffff:10.0.0.1, 64:ff9b::/96) is
 * judged as the IPv4 address it carries.
 */
export async function checkDestination(rawUrl: string, policy: DestinationPolicy): Promise<CheckedDestination> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new RefusedDestinationError('not a valid URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new RefusedDestinationError('only http and https URLs are allowed');
  if (url.username || url.password) throw new RefusedDestinationError('credentials in the URL are not allowed');
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: { address: string; family: number }[];
  if (isIP(hostname)) {
    addresses = [{ address: hostname, family: isIP(hostname) }];
  } else {
    try {
      addresses = await (policy.lookup ?? systemLookup)(hostname);
    } catch {
      throw new RefusedDestinationError(`the host name ${hostname} does not resolve`);
    }
    if (addresses.length === 0) throw new RefusedDestinationError(`the host name ${hostname} does not resolve`);
  }
  for (const { address } of addresses) {
    const problem = addressProblem(address, policy.allowLoopback);
    if (problem) throw new RefusedDestinationError(`${hostname} resolves to ${address}, ${problem}`);
  }
  const [first] = addresses;
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}

/** The same check as a user-facing refusal, for creating and updating endpoints. */
export async function assertAllowedDestination(rawUrl: string, policy: DestinationPolicy): Promise<void> {
  try {
    await checkDestination(rawUrl, policy);
  } catch (error) {
    if (error instanceof RefusedDestinationError) throw badInput(`This webhook URL is not allowed: ${error.message}.`, { field: 'url' });
    throw error;
  }
}

function addressProblem(address: string, allowLoopback: boolean): string | null {
  const family = isIP(address);
  if (family === 0) return 'which is not an IP address';
  const embedded = family === 6 ? embeddedIpv4(address) : null;
  if (embedded) return addressProblem(embedded, allowLoopback);
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (LOOPBACK.check(address, type)) return allowLoopback ? null : 'a loopback address';
  if (NEVER.check(address, type)) return 'a private, link-local or reserved address';
  return null;
}

/** The IPv4 address inside an IPv4-mapped (::ffff:0:0/96), IPv4-compatible or NAT64 (64:ff9b::/96) IPv6 address. */
function embeddedIpv4(address: string): string | null {
  const groups = expandIpv6(address);
  if (!groups) return null;
  const zeroPrefix = groups.slice(0, 5).every((group) => group === 0);
  const mapped = zeroPrefix && groups[5] === 0xffff;
  const compatible = zeroPrefix && groups[5] === 0 && (groups[6] !== 0 || groups[7] > 1);
  const nat64 = groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((group) => group === 0);
  if (!mapped && !compatible && !nat64) return null;
  return [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff].join('.');
}

function expandIpv6(address: string): number[] | null {
  let text = address.split('%')[0].toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const bytes = dotted[1].split('.').map(Number);
    text = text.slice(0, -dotted[1].length) + `${((bytes[0] << 8) | bytes[1]).toString(16)}:${((bytes[2] << 8) | bytes[3]).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, null];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  if (tail === null ? missing !== 0 : missing < 1) return null;
  const groups = [...headGroups, ...Array(tail === null ? 0 : missing).fill('0'), ...tailGroups].map((group) => parseInt(group, 16));
  return groups.length === 8 && groups.every((group) => Number.isInteger(group) && group >= 0 && group <= 0xffff) ? groups : null;
}
