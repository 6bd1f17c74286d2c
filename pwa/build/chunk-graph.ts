// The bundle's chunk graph as the build plugins read it in generateBundle (file names and their static imports).

/** `entries` and every chunk they import statically, directly or not (no dynamic imports): what loads with them. */
export function staticallyReachable(chunks: Map<string, { imports: string[] }>, entries: Iterable<string>): Set<string> {
  const reached = new Set<string>()
  const visit = (file: string) => {
    if (reached.has(file) || !chunks.has(file)) return
    reached.add(file)
    chunks.get(file)!.imports.forEach(visit)
  }
  for (const file of entries) visit(file)
  return reached
}
