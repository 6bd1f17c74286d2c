import { describe, expect, it } from 'vitest'
import { ConfigError, allowedOrigins, configFromEnv } from './config.ts'

describe('PUBLIC_ORIGIN', () => {
  it('defaults to http://localhost:PORT', () => {
    expect(configFromEnv({}).publicOrigin).toBe('http://localhost:8787')
    expect(configFromEnv({ PORT: '9000' }).publicOrigin).toBe('http://localhost:9000')
  })

  it('takes an https origin and normalises it', () => {
    expect(configFromEnv({ PUBLIC_ORIGIN: 'https://Lagesbild.Example.se/' }).publicOrigin).toBe('https://lagesbild.example.se')
    expect(configFromEnv({ PUBLIC_ORIGIN: 'https://lagesbild.example.se:8443' }).publicOrigin).toBe('https://lagesbild.example.se:8443')
  })

  it('allows plain http only for this machine', () => {
    for (const o of ['http://localhost:3000', 'http://127.0.0.1:3000', 'http://[::1]:3000']) {
      expect(configFromEnv({ PUBLIC_ORIGIN: o }).publicOrigin).toBe(o)
    }
  })

  it('refuses a non-localhost http origin and says why', () => {
    const err = (() => { try { configFromEnv({ PUBLIC_ORIGIN: 'http://lagesbild.example.se' }) } catch (e) { return e } })()
    expect(err).toBeInstanceOf(ConfigError)
    expect((err as Error).message).toMatch(/must use https:\/\//)
    expect((err as Error).message).toMatch(/cookie/)
    expect((err as Error).message).toContain('PUBLIC_ORIGIN=https://lagesbild.example.se')
  })

  it.each(['lagesbild.example.se', 'ftp://lagesbild.example.se', 'https://lagesbild.example.se/app', 'https://lagesbild.example.se/?x=1', 'https://user:pw@lagesbild.example.se'])('refuses %j', value => {
    expect(() => configFromEnv({ PUBLIC_ORIGIN: value })).toThrow(ConfigError)
  })

  it('a public origin admits exactly itself; a loopback one the loopback names on the same port', () => {
    expect([...allowedOrigins({ publicOrigin: 'https://lagesbild.example.se' })]).toEqual(['https://lagesbild.example.se'])
    expect([...allowedOrigins({ publicOrigin: 'http://localhost:8787' })].sort()).toEqual(['http://127.0.0.1:8787', 'http://[::1]:8787', 'http://localhost:8787'])
    expect([...allowedOrigins({ publicOrigin: 'https://localhost:8443' })]).toEqual(['https://localhost:8443'])
  })
})

describe('address lists and the rest', () => {
  it('parses TRUSTED_PROXIES and METRICS_ALLOW (default none) and names a bad entry', () => {
    expect(configFromEnv({}).trustedProxies).toEqual([])
    expect(configFromEnv({}).metricsAllow).toEqual([])
    expect(configFromEnv({ TRUSTED_PROXIES: '127.0.0.1, ::1', METRICS_ALLOW: '10.0.0.0/8' }).trustedProxies).toHaveLength(2)
    expect(() => configFromEnv({ TRUSTED_PROXIES: 'nginx' })).toThrow(/TRUSTED_PROXIES: "nginx"/)
    expect(() => configFromEnv({ METRICS_ALLOW: '10.0.0.0/40' })).toThrow(/METRICS_ALLOW/)
  })

  it('checks LOG_LEVEL, PORT and MIN_FREE_DISK_MB', () => {
    expect(configFromEnv({}).logLevel).toBe('info')
    expect(() => configFromEnv({ LOG_LEVEL: 'loud' })).toThrow(ConfigError)
    expect(() => configFromEnv({ PORT: '70000' })).toThrow(ConfigError)
    expect(configFromEnv({ MIN_FREE_DISK_MB: '5' }).minFreeDiskBytes).toBe(5 * 1024 * 1024)
  })
})
