import { ORG_KINDS, ROLES } from '@lagesbild/domain'
import { ConfigError, configFromEnv, type Config } from '../config.ts'
import { DatabaseTooNewError } from '../db/migrate.ts'
import { ApiError } from '../http-error.ts'
import { RefusedError, UsageError } from './args.ts'

const HELP = `Lägesbild administration. Usage: npm run admin -- <command> [options]

  org add --name NAME --kind KIND
      Adds an organisation. KIND: ${ORG_KINDS.join(', ')}.
  user add --username U --org NAME --role ROLE [--role ROLE] [--display-name N] [--password-stdin]
      Adds a user. ROLE: ${ROLES.join(', ')} (repeat for several). Without --password-stdin a one-time
      password is printed, to be changed at first sign-in; with it, one line is read from stdin.
  user disable --username U
      Stops a user from signing in and ends their sessions.
  user reset-password --username U
      Prints a new one-time password for a user who forgot theirs, to be changed at the next sign-in; the old
      password stops working and their sessions end. The second factor stays.
  backup --to FILE [--force]
      Copies the database to FILE while the server runs; --force replaces an existing FILE.
  backup --check FILE
      Checks that FILE is an intact Lägesbild database this version can restore (PRAGMA integrity_check).
  restore --from FILE
      Replaces the database with FILE (the server must be stopped); the current one is kept beside it.
  retention run [--dry-run]
      Removes free text, people involved and exact positions (to the 250 m grid) from reports older than the
      retention period (admin setting, default 12 months), keeping every count; --dry-run only counts.
  demo [--reports N] [--seed N]
      Fills a new, empty database with a realistic year of demo reports and demo accounts.
  help
      Shows this text.

The database is in DATA_DIR (default ./data). Every change is written to the audit log.`

type Command = (args: string[], config: Config) => Promise<void>

// Loaded on use, so a usage error or `help` answers without loading the database code.
const COMMANDS = new Map<string, () => Promise<Command>>([
  ['org add', async () => (await import('./org.ts')).orgAdd],
  ['user add', async () => (await import('./user.ts')).userAdd],
  ['user disable', async () => (await import('./user.ts')).userDisable],
  ['user reset-password', async () => (await import('./user.ts')).userResetPassword],
  ['backup', async () => (await import('./backup.ts')).backup],
  ['restore', async () => (await import('./backup.ts')).restore],
  ['demo', async () => (await import('./demo-data.ts')).demo],
  ['retention run', async () => (await import('./retention.ts')).retentionRun],
])

/** Finds the command named by the first one or two words. */
function route(argv: string[]): { load: () => Promise<Command>; args: string[] } | null {
  const [first = '', second = ''] = argv
  const two = COMMANDS.get(`${first} ${second}`)
  if (two) return { load: two, args: argv.slice(2) }
  const one = COMMANDS.get(first)
  return one ? { load: one, args: argv.slice(1) } : null
}

/** Runs one command and returns the exit code: 0 done, 1 refused, 2 bad usage. */
export async function main(argv: string[]): Promise<number> {
  const [first] = argv
  if (first === 'help' || first === '--help' || first === '-h') {
    console.log(HELP)
    return 0
  }
  try {
    if (first === undefined) throw new UsageError('name a command')
    const found = route(argv)
    if (!found) throw new UsageError(`unknown command "${argv.slice(0, 2).join(' ')}"`)
    await (await found.load())(found.args, configFromEnv())
    return 0
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`error: ${err.message}\nRun "npm run admin -- help" to see the commands and their options.`)
      return 2
    }
    if (err instanceof RefusedError || err instanceof ApiError || err instanceof DatabaseTooNewError || err instanceof ConfigError) {
      console.error(`error: ${err.message}`)
      return 1
    }
    throw err
  }
}

