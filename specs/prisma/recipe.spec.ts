import { PrismaMariaDb } from '@prisma/adapter-mariadb'
import { expect, mariadbErrors, test } from 'test-rig'
import { Prisma, PrismaClient } from './generated/client.ts'

// The Prisma example of docs/clients.md, as it is written there.

test('docs/clients.md: a deadlock surfaces as P2034 and nothing is written', async ({ rig, faults }) => {
  const prisma = new PrismaClient({ adapter: new PrismaMariaDb(rig.url) })
  const customer = await prisma.customer.create({ data: { email: 'ada@example.com' } })
  faults.failNext('execute', mariadbErrors.deadlock(), { when: /^INSERT INTO `Order`/ })
  const failed = await prisma.order.create({ data: { customerId: customer.id, total: 10 } }).catch((error: unknown) => error)
  expect(failed).toBeInstanceOf(Prisma.PrismaClientKnownRequestError)
  expect(failed).toMatchObject({ code: 'P2034' })
  expect(await prisma.order.count()).toBe(0)
  await prisma.$disconnect()
})
