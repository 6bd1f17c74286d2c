// Loaded into the generated service worker with importScripts (pwa/build/background-sync.ts).
// Background Sync (Chromium): the page registers the tag when a push fails with reports still unsent; the
// browser fires `sync` once the connection is back. The push itself stays in the page's sync engine (one
// engine, one outbox, one order of ops): the worker asks an open page to flush and waits for its answer. A
// failed flush rejects, so the browser tries again later; with no page open there is nothing to do here,
// and the app flushes on its next start.
const SYNC_TAG = 'lagesbild-outbox'
const ANSWER_WITHIN_MS = 60_000

function askPage(client) {
  return new Promise(resolve => {
    const channel = new MessageChannel()
    const timer = setTimeout(() => resolve({ ok: false }), ANSWER_WITHIN_MS)
    channel.port1.onmessage = event => { clearTimeout(timer); resolve(event.data) }
    client.postMessage({ type: 'lagesbild:sync' }, [channel.port2])
  })
}

self.addEventListener('sync', event => {
  if (event.tag !== SYNC_TAG) return
  event.waitUntil((async () => {
    const pages = await self.clients.matchAll({ type: 'window' })
    const page = pages.find(p => p.focused) ?? pages.find(p => p.visibilityState === 'visible') ?? pages[0]
    if (!page) return
    const answer = await askPage(page)
    if (!answer || !answer.ok) throw new Error('the outbox is not through yet')
  })())
})
