import { ORG_KINDS, OrganisationName, type OrgKind } from '@lagesbild/domain'
import type { Config } from '../config.ts'
import { createOrganisation, findOrganisationByName } from '../services/accounts.ts'
import { RefusedError, UsageError, options, required, valid } from './args.ts'
import { auditCli, withDatabase } from './database.ts'

function orgKind(value: string): OrgKind {
  if (!(ORG_KINDS as readonly string[]).includes(value)) throw new UsageError(`unknown kind "${value}"; use one of: ${ORG_KINDS.join(', ')}`)
  return value as OrgKind
}

/** `org add --name NAME --kind KIND` */
export async function orgAdd(args: string[], config: Config): Promise<void> {
  const o = options('org add', args, { name: { type: 'string' }, kind: { type: 'string' } })
  const name = valid(OrganisationName, required('org add', 'name', o.name), '--name')
  const kind = orgKind(required('org add', 'kind', o.kind))

  await withDatabase(config, db => {
    const existing = findOrganisationByName(db, name)
    if (existing) throw new RefusedError(`an organisation named "${existing.name}" already exists (id ${existing.id})`)
    const org = createOrganisation(db, { name, kind })
    auditCli(db, 'organisation_created', String(org.id), { name: org.name, kind: org.kind })
    console.log(`Added the organisation "${org.name}" (${org.kind}), id ${org.id}.`)
  })
}
