import { describe, expect, it } from 'vitest'
import { forwardedClient, listHas, normaliseIp, parseIp, parseIpList, parseRange } from './ip-list.ts'

describe('parsing addresses', () => {
  it.each([
    ['127.0.0.1', 4, 0x7f000001n],
    ['::1', 6, 1n],
    ['::ffff:127.0.0.1', 4, 0x7f000001n],
    ['::FFFF:7f00:1', 4, 0x7f000001n],
    ['[2001:db8::1]', 6, 0x20010db8000000000000000000000001n],
    ['fe80::1%eth0', 6, 0xfe800000000000000000000000000001n],
    ['2001:db8:0:0:0:0:2:1', 6, 0x20010db8000000000000000000020001n],
    ['64:ff9b::192.0.2.33', 6, 0x0064ff9b0000000000000000c0000221n],
  ])('%s is IPv%i', (text, version, value) => {
    expect(parseIp(text)).toEqual({ version, value })
  })

  it.each(['', 'localhost', '1.2.3', '256.1.1.1', '1.2.3.4:80', '::g', 'unknown', '1.2.3.4/8'])('%j is not an address', text => {
    expect(parseIp(text)).toBeNull()
  })

  it('writes IPv4-mapped addresses as IPv4 and leaves others as they are', () => {
    expect(normaliseIp('::ffff:10.1.2.3')).toBe('10.1.2.3')
    expect(normaliseIp('2001:DB8::1')).toBe('2001:db8::1')
    expect(normaliseIp('unknown')).toBe('unknown')
  })
})

describe('ranges and lists', () => {
  it('parses single addresses and CIDRs of both families', () => {
    expect(parseRange('10.0.0.0/8')).toMatchObject({ version: 4, prefix: 8 })
    expect(parseRange('192.168.1.7')).toMatchObject({ version: 4, prefix: 32 })
    expect(parseRange('2001:db8::/32')).toMatchObject({ version: 6, prefix: 32 })
    expect(parseRange('::ffff:10.0.0.0/104')).toMatchObject({ version: 4, prefix: 8 })
  })

  it.each(['10.0.0.0/33', '2001:db8::/129', '10.0.0.0/-1', '10.0.0.0/8/8', 'proxy.example', '10.0.0.0/x'])('refuses %j, naming it', entry => {
    expect(() => parseRange(entry)).toThrow(entry)
  })

  it('splits a list on commas and spaces and names the variable in errors', () => {
    expect(parseIpList(' 10.0.0.1, 10.0.0.2  ::1 ', 'TRUSTED_PROXIES')).toHaveLength(3)
    expect(parseIpList('', 'X')).toEqual([])
    expect(parseIpList(undefined, 'X')).toEqual([])
    expect(() => parseIpList('10.0.0.1,nginx', 'TRUSTED_PROXIES')).toThrow(/TRUSTED_PROXIES: "nginx"/)
  })

  it('matches addresses inside a range and nothing outside', () => {
    const list = parseIpList('10.0.0.0/8, 192.168.1.7, 2001:db8::/32', 'X')
    expect(listHas(list, '10.255.0.1')).toBe(true)
    expect(listHas(list, '11.0.0.1')).toBe(false)
    expect(listHas(list, '192.168.1.7')).toBe(true)
    expect(listHas(list, '192.168.1.8')).toBe(false)
    expect(listHas(list, '2001:db8:ffff::1')).toBe(true)
    expect(listHas(list, '2001:db9::1')).toBe(false)
    expect(listHas(list, 'unknown')).toBe(false)
    expect(listHas([], '10.0.0.1')).toBe(false)
  })

  it('an IPv4 entry matches its IPv4-mapped IPv6 form, as a server on :: sees it', () => {
    const list = parseIpList('127.0.0.1, 10.0.0.0/8', 'X')
    expect(listHas(list, '::ffff:127.0.0.1')).toBe(true)
    expect(listHas(list, '::ffff:10.9.8.7')).toBe(true)
    expect(listHas(list, '::ffff:127.0.0.2')).toBe(false)
    // ::1 is IPv6 loopback, a different address from 127.0.0.1.
    expect(listHas(list, '::1')).toBe(false)
  })

  it('a /0 matches everything of its family only', () => {
    expect(listHas(parseIpList('0.0.0.0/0', 'X'), '203.0.113.9')).toBe(true)
    expect(listHas(parseIpList('0.0.0.0/0', 'X'), '2001:db8::1')).toBe(false)
    expect(listHas(parseIpList('::/0', 'X'), '2001:db8::1')).toBe(true)
  })
})

describe('the client behind X-Forwarded-For', () => {
  const trusted = parseIpList('10.0.0.5, 172.16.0.0/12', 'TRUSTED_PROXIES')

  it('ignores the header when the socket is not a trusted proxy', () => {
    expect(forwardedClient('203.0.113.9', '198.51.100.1', trusted)).toBe('203.0.113.9')
    expect(forwardedClient('::ffff:203.0.113.9', '198.51.100.1', trusted)).toBe('203.0.113.9')
  })

  it('ignores the header when no proxy is trusted', () => {
    expect(forwardedClient('10.0.0.5', '198.51.100.1', [])).toBe('10.0.0.5')
  })

  it('takes the right-most hop that is not a trusted proxy', () => {
    expect(forwardedClient('10.0.0.5', '198.51.100.1', trusted)).toBe('198.51.100.1')
    expect(forwardedClient('::ffff:10.0.0.5', '198.51.100.1', trusted)).toBe('198.51.100.1')
    expect(forwardedClient('10.0.0.5', '198.51.100.1, 172.16.3.4', trusted)).toBe('198.51.100.1')
  })

  it('does not believe hops a client wrote to the left of the real one', () => {
    // The client sent "X-Forwarded-For: 1.2.3.4"; the proxy appended the address it saw.
    expect(forwardedClient('10.0.0.5', '1.2.3.4, 198.51.100.1', trusted)).toBe('198.51.100.1')
    expect(forwardedClient('10.0.0.5', '10.0.0.5, 198.51.100.1', trusted)).toBe('198.51.100.1')
  })

  it('stops at a hop that is not an address and keeps the nearest checked one', () => {
    expect(forwardedClient('10.0.0.5', 'evil, garbage', trusted)).toBe('10.0.0.5')
    expect(forwardedClient('10.0.0.5', '198.51.100.1, unknown, 172.16.0.1', trusted)).toBe('172.16.0.1')
  })

  it('when every hop is a trusted proxy, the left-most one is the client', () => {
    expect(forwardedClient('10.0.0.5', '172.16.0.9, 172.16.0.1', trusted)).toBe('172.16.0.9')
  })

  it('handles IPv6 clients and an absent header', () => {
    expect(forwardedClient('10.0.0.5', '2001:DB8::7', trusted)).toBe('2001:db8::7')
    expect(forwardedClient('10.0.0.5', undefined, trusted)).toBe('10.0.0.5')
    expect(forwardedClient('10.0.0.5', '', trusted)).toBe('10.0.0.5')
  })
})
