import { execFile } from 'node:child_process'
import { mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, test } from 'vitest'

// Every TypeScript block of README.md and docs/ that is a whole file (a block marked
// ```ts fragment is not) type-checks under strict against the package as it is published: the
// declarations tsc writes for it, behind its package.json exports map. A block whose first line
// is a path comment (`// specs/app.spec.ts`) is written to that path, so blocks of one page can
// import each other.

const repo = fileURLToPath(new URL('..', import.meta.url))
const run = promisify(execFile)
const tsc = join(repo, 'node_modules', 'typescript-native', 'bin', 'tsc')

/** A whole-file block of a page. */
interface Block {
  readonly page: string
  readonly line: number
  readonly path: string
  readonly text: string
}

async function pages(): Promise<string[]> {
  const docs = (await readdir(join(repo, 'docs'), { recursive: true })).filter((name) => name.endsWith('.md')).map((name) => join('docs', name))
  return ['README.md', ...docs].sort()
}

async function blocksOf(page: string): Promise<Block[]> {
  const lines = (await readFile(join(repo, page), 'utf8')).split('\n')
  const blocks: Block[] = []
  const seen = new Map<string, number>()
  for (let i = 0; i < lines.length; i++) {
    const info = /^```(ts|typescript)(\s+\S+)?\s*$/.exec(lines[i] ?? '')
    if (!info) continue
    const end = lines.findIndex((line, j) => j > i && line.startsWith('```'))
    const text = lines.slice(i + 1, end).join('\n')
    if (info[2]?.trim() !== 'fragment') {
      const named = /^\/\/ ([\w./-]+\.ts)\s*$/.exec(lines[i + 1] ?? '')?.[1] ?? `block-${i + 1}.ts`
      const count = (seen.get(named) ?? 0) + 1
      seen.set(named, count)
      blocks.push({ page, line: i + 1, path: count === 1 ? named : named.replace(/\.ts$/, `-${count}.ts`), text })
    }
    i = end
  }
  return blocks
}

describe('the documents\' TypeScript', () => {
  test('every whole-file block of README.md and docs/ type-checks under strict against the published package', { timeout: 180_000 }, async () => {
    const root = join(repo, '.tmp', 'doc-check')
    await rm(root, { recursive: true, force: true })
    const pkg = join(root, 'package')
    // The package's declarations, where its exports map points.
    await run(process.execPath, [tsc, '-p', join(repo, 'tsconfig.build.json'), '--emitDeclarationOnly', '--declaration', '--declarationMap', 'false', '--sourceMap', 'false', '--outDir', join(pkg, 'dist')], { cwd: repo })
    const manifest = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8')) as { exports: Record<string, { types: string }> }
    const exportsMap = Object.fromEntries(Object.entries(manifest.exports).map(([entry, target]) => [entry, { types: target.types }]))
    await writeFile(join(pkg, 'package.json'), JSON.stringify({ name: 'test-rig', type: 'module', exports: exportsMap }))
    await mkdir(join(root, 'node_modules'), { recursive: true })
    await symlink(pkg, join(root, 'node_modules', 'test-rig'))
    // A project of its own: without it, 'test-rig' inside this repository is the repository itself
    // (a package's self-reference), whose dist/ may be stale or missing.
    await writeFile(join(root, 'package.json'), JSON.stringify({ name: 'doc-check', private: true, type: 'module' }))

    const blocks = (await Promise.all((await pages()).map(blocksOf))).flat()
    expect(blocks.length).toBeGreaterThan(10)
    const where = new Map<string, Block>()
    for (const block of blocks) {
      const file = join(root, 'pages', block.page.replace(/\.md$/, ''), block.path)
      where.set(relative(root, file), block)
      await mkdir(dirname(file), { recursive: true })
      await writeFile(file, `${block.text}\n`)
    }
    // The Prisma example imports the client Prisma generates: the specs' own, of the same schema.
    if (blocks.some((block) => block.text.includes("'../generated/prisma/client.ts'"))) {
      const { generatePrismaClient } = await import('../specs/prisma/generate-client.ts')
      await generatePrismaClient()
      await mkdir(join(root, 'pages', 'docs', 'clients', 'generated'), { recursive: true })
      await symlink(join(repo, 'specs', 'prisma', 'generated'), join(root, 'pages', 'docs', 'clients', 'generated', 'prisma'))
    }
    await writeFile(join(root, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        target: 'es2023', lib: ['es2023', 'es2024.promise', 'esnext.disposable'], module: 'nodenext', moduleResolution: 'nodenext',
        strict: true, noUncheckedIndexedAccess: true, allowImportingTsExtensions: true, noEmit: true, skipLibCheck: true, types: ['node'],
        typeRoots: [join(repo, 'node_modules', '@types')],
      },
      include: ['pages'],
    }))
    const result = await run(process.execPath, [tsc, '-p', join(root, 'tsconfig.json'), '--pretty', 'false'], { cwd: root }).then(() => '', (error: { stdout?: string }) => error.stdout ?? String(error))
    // Each error points at its page and the block's line there.
    const explained = result.split('\n').filter(Boolean).map((line) => {
      const file = /^([^(]+)\((\d+),/.exec(line)
      const block = file?.[1] ? where.get(file[1]) : undefined
      return block ? `${block.page}:${block.line + Number(file?.[2] ?? 0)}: ${line.slice(line.indexOf(': ') + 2)}` : line
    })
    expect(explained).toEqual([])
  })
})
