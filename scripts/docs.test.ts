import { access, readdir, readFile } from 'node:fs/promises'
import { dirname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { renderReferences } from './reference-docs.ts'

const repo = fileURLToPath(new URL('..', import.meta.url))

describe('the generated reference pages', () => {
  test('each is what its source of truth gives now (run node scripts/docs.ts after a change)', async () => {
    const pages = await renderReferences()
    expect(Object.keys(pages).length).toBeGreaterThanOrEqual(5)
    for (const [path, text] of Object.entries(pages)) {
      const committed = await readFile(join(repo, path), 'utf8').catch(() => '(missing)')
      expect(committed, `${path} is stale: run node scripts/docs.ts`).toBe(text)
    }
  })
})

describe('the documents', () => {
  const documents = async () => ['README.md', ...(await readdir(join(repo, 'docs'), { recursive: true })).filter((name) => name.endsWith('.md')).map((name) => join('docs', name))]

  test('README.md is a short tour: at most 300 lines', async () => {
    expect((await readFile(join(repo, 'README.md'), 'utf8')).split('\n').length).toBeLessThanOrEqual(300)
  })

  test('every guide is linked from README.md or the guides\' index, and every relative link resolves', async () => {
    const linked = new Set<string>()
    const broken: string[] = []
    for (const page of await documents()) {
      const text = await readFile(join(repo, page), 'utf8')
      for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (!target || /^[a-z]+:/.test(target)) continue
        const path = normalize(join(dirname(page), target))
        linked.add(path)
        if (!(await access(join(repo, path)).then(() => true, () => false))) broken.push(`${page} → ${target}`)
      }
    }
    expect(broken).toEqual([])
    const unlinked = (await documents()).filter((page) => page !== 'README.md' && !linked.has(page))
    expect(unlinked).toEqual([])
  })

  test('no document tells how the project was developed', async () => {
    const history = /\b(this|last|previous|earlier|next) rounds?\b|\brounds before\b|\bthis session\b/i
    const found: string[] = []
    for (const page of await documents()) {
      for (const [index, line] of (await readFile(join(repo, page), 'utf8')).split('\n').entries()) if (history.test(line)) found.push(`${page}:${index + 1}: ${line.trim()}`)
    }
    expect(found).toEqual([])
  })
})
