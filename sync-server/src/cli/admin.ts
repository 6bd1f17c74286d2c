// `npm run admin -- <command>`: the administration CLI. The commands live in main.ts and the files beside it.
import { main } from './main.ts'

process.exitCode = await main(process.argv.slice(2))
