import { defineConfig } from 'prisma/config'

// Prisma's CLI config for the specs' schema (`prisma generate --config specs/prisma/prisma.config.ts`).
export default defineConfig({ schema: 'prisma/schema.prisma', migrations: { path: 'prisma/migrations' } })
