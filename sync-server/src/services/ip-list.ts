import { isIPv4, isIPv6 } from 'node:net'

/**
 * IP addresses and CIDR ranges (IPv4 and IPv6) for TRUSTED_PROXIES and METRICS_ALLOW. An IPv4-mapped
 * IPv6 address (`::ffff:127.0.0.1`, what a server listening on `::` sees for an IPv4 client) is treated
 * as the IPv4 address it carries, so an IPv4 entry matches both forms.
 */

export interface Ip { version: 4 | 6; value: bigint }
export interface IpRange { version: 4 | 6; base: bigint; prefix: number; text: string }
export type IpList = readonly IpRange[]

function v4ToBigint(text: string): bigint {
  return text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n)
}

function v6ToBigint(text: string): bigint {
  let head = text
  let tail4: bigint | null = null
  const lastColon = head.lastIndexOf(':')
  if (head.slice(lastColon + 1).includes('.')) {
    tail4 = v4ToBigint(head.slice(lastColon + 1))
    head = `${head.slice(0, lastColon + 1)}0:0`
  }
  const [left = '', right] = head.split('::') as [string, string | undefined]
  const groupsOf = (s: string) => (s === '' ? [] : s.split(':'))
  const l = groupsOf(left)
  const r = right === undefined ? [] : groupsOf(right)
  const groups = right === undefined ? l : [...l, ...Array<string>(8 - l.length - r.length).fill('0'), ...r]
  let value = groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n)
  if (tail4 !== null) value = (value & ~0xffffffffn) | tail4
  return value
}

/** Parses an address (IPv4, IPv6, IPv6 with a zone, bracketed IPv6); null when it is not one. */
export function parseIp(input: string): Ip | null {
  let text = input.trim()
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1)
  const zone = text.indexOf('%')
  if (zone >= 0) text = text.slice(0, zone)
  if (isIPv4(text)) return { version: 4, value: v4ToBigint(text) }
  if (!isIPv6(text)) return null
  const value = v6ToBigint(text)
  if (value >> 32n === 0xffffn) return { version: 4, value: value & 0xffffffffn }
  return { version: 6, value }
}

function formatV4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map(s => String((value >> s) & 0xffn)).join('.')
}

/** The address as it is written in logs and the audit: IPv4-mapped IPv6 becomes plain IPv4. */
export function normaliseIp(input: string): string {
  const ip = parseIp(input)
  if (!ip) return input
  return ip.version === 4 ? formatV4(ip.value) : input.trim().replace(/^\[|\]$/g, '').replace(/%.*$/, '').toLowerCase()
}

/** Parses one entry, `ADDRESS` or `ADDRESS/PREFIX`; throws with a message naming the entry. */
export function parseRange(entry: string): IpRange {
  const [addr = '', prefixText, extra] = entry.split('/')
  const ip = parseIp(addr)
  if (!ip || extra !== undefined) throw new Error(`"${entry}" is not an IP address or CIDR range`)
  const written6 = !isIPv4(addr.trim())
  let prefix = ip.version === 4 ? 32 : 128
  if (prefixText !== undefined) {
    if (!/^\d{1,3}$/.test(prefixText)) throw new Error(`"${entry}" has an invalid prefix length`)
    prefix = Number(prefixText)
    // ::ffff:10.0.0.0/104 is the mapped form of 10.0.0.0/8.
    if (ip.version === 4 && written6) prefix -= 96
    if (prefix < 0 || prefix > (ip.version === 4 ? 32 : 128)) throw new Error(`"${entry}" has an invalid prefix length`)
  }
  const bits = ip.version === 4 ? 32 : 128
  const mask = prefix === 0 ? 0n : ((1n << BigInt(prefix)) - 1n) << BigInt(bits - prefix)
  return { version: ip.version, base: ip.value & mask, prefix, text: entry.trim() }
}

/** A comma- or space-separated list of entries; empty text is an empty list. */
export function parseIpList(text: string | undefined, name: string): IpList {
  const entries = (text ?? '').split(/[\s,]+/).filter(Boolean)
  return entries.map(e => {
    try { return parseRange(e) } catch (err) { throw new Error(`${name}: ${(err as Error).message}`) }
  })
}

export function inRange(ip: Ip, range: IpRange): boolean {
  if (ip.version !== range.version) return false
  const bits = ip.version === 4 ? 32 : 128
  const shift = BigInt(bits - range.prefix)
  return ip.value >> shift === range.base >> shift
}

/** True when the address is in any range of the list (false for anything that is not an address). */
export function listHas(list: IpList, address: string): boolean {
  if (list.length === 0) return false
  const ip = parseIp(address)
  return ip !== null && list.some(r => inRange(ip, r))
}

/**
 * The client's address given the socket's peer and the X-Forwarded-For header: the header is believed
 * only when the peer is a trusted proxy, and then only up to the right-most hop that is not one.
 */
export function forwardedClient(peer: string, forwardedFor: string | undefined, trusted: IpList): string {
  if (!forwardedFor || !listHas(trusted, peer)) return normaliseIp(peer)
  const hops = forwardedFor.split(',').map(h => h.trim()).filter(Boolean)
  let client = peer
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!
    // A hop that is not an address is not believed: the nearest address we could check stands.
    if (!parseIp(hop)) break
    client = hop
    if (!listHas(trusted, hop)) break
  }
  return normaliseIp(client)
}
