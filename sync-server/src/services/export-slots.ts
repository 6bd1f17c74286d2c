/**
 * Caps expensive exports: at most `perUser` running for one user and `total` in all (DESIGN: one and two). An
 * export holds its slot until its stream has been read to the end, cancelled or has failed.
 */
export function createExportSlots(limits = { perUser: 1, total: 2 }) {
  const running = new Map<number, number>()
  let total = 0

  /** A release function for a free slot, or null when the user or the server is at the cap. */
  function acquire(userId: number): (() => void) | null {
    if (total >= limits.total || (running.get(userId) ?? 0) >= limits.perUser) return null
    total++
    running.set(userId, (running.get(userId) ?? 0) + 1)
    let released = false
    return () => {
      if (released) return
      released = true
      total--
      const n = (running.get(userId) ?? 1) - 1
      if (n > 0) running.set(userId, n)
      else running.delete(userId)
    }
  }
  return { acquire }
}

/** The same bytes, calling `release` once when the stream ends, fails or is cancelled by the reader. */
export function releasingStream(stream: ReadableStream<Uint8Array>, release: () => void): ReadableStream<Uint8Array> {
  const reader = stream.getReader()
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read()
        if (done) {
          release()
          controller.close()
        } else controller.enqueue(value)
      } catch (err) {
        release()
        controller.error(err)
      }
    },
    async cancel(reason) {
      release()
      await reader.cancel(reason)
    },
  })
}
