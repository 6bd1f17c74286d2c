import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Organisation } from '@lagesbild/domain'
import { jsonOf, testServer, type TestServer } from '../../test/support.ts'

let s: TestServer
beforeAll(async () => { s = await testServer() })
afterAll(() => s.close())

describe('organisations for the desk', () => {
  it('lists every organisation to reviewers and analysts, who name who does what at the meeting', async () => {
    const reviewer = (await s.signIn('granskare', ['reviewer'], 'Kommunen')).cookie
    await s.signIn('vakt1', ['reporter'], 'Vaktbolaget')
    const res = await s.request('GET', '/api/organisations', { cookie: reviewer })
    expect(res.status).toBe(200)
    expect((await jsonOf<Organisation[]>(res)).map(o => o.name)).toEqual(expect.arrayContaining(['Kommunen', 'Vaktbolaget']))
  })

  it('is not for reporters, and not without a session', async () => {
    const reporter = (await s.signIn('vakt2', ['reporter'], 'Vaktbolaget')).cookie
    expect((await s.request('GET', '/api/organisations', { cookie: reporter })).status).toBe(403)
    expect((await s.request('GET', '/api/organisations')).status).toBe(401)
  })
})
