// Writes the generated reference pages (see reference-docs.ts): `node scripts/docs.ts`.
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { renderReferences } from './reference-docs.ts'

const repo = fileURLToPath(new URL('..', import.meta.url))
for (const [path, text] of Object.entries(await renderReferences())) {
  await mkdir(dirname(join(repo, path)), { recursive: true })
  await writeFile(join(repo, path), text)
  console.log(`wrote ${path}`)
}
