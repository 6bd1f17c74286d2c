import { rmSync } from 'node:fs'
import type { TestProject } from 'vitest/node'
import { buildServer, temporaryBuildDir } from '../build.ts'

declare module 'vitest' {
  /** `node ...serverArgs` runs the built server. */
  export interface ProvidedContext { serverArgs: string[] }
}

/**
 * Builds the server once, as `npm start` runs it (plain node on the bundle), for the tests that start it as a
 * process. Each run builds into its own folder, so runs never clash.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const outDir = temporaryBuildDir()
  project.provide('serverArgs', await buildServer(outDir))
  return () => rmSync(outDir, { recursive: true, force: true })
}
