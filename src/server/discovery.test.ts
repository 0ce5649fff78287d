import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { BinaryFacts } from './binary-facts.ts'
import { findServerBinary, identifyBinary, listServerBinaries } from './discovery.ts'
import { ServerBinaryNotFoundError } from './errors.ts'

// Real executables in a temp folder that print what each server prints for its version flag.
let folder: string
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'rig-discovery-'))
})
afterEach(async () => {
  await rm(folder, { recursive: true, force: true })
})

async function fakeServer(name: string, output: string): Promise<string> {
  const path = join(folder, name)
  await writeFile(path, `#!/bin/sh\necho '${output}'\n`)
  await chmod(path, 0o755)
  return path
}

describe('findServerBinary', () => {
  test('prefers tidb-server over mariadbd and mysqld', async () => {
    await fakeServer('mariadbd', 'mariadbd  Ver 10.11.19-MariaDB for debian-linux-gnu')
    await fakeServer('tidb-server', 'Release Version: v8.5.1')
    const found = await findServerBinary({ searchPath: folder, folders: [] })
    expect(found.engine).toMatchObject({ name: 'tidb', version: '8.5.1' })
  })

  test('counts a mysqld link to mariadbd once, as MariaDB', async () => {
    const mariadbd = await fakeServer('mariadbd', 'mariadbd  Ver 10.11.19-MariaDB for debian-linux-gnu')
    await symlink(mariadbd, join(folder, 'mysqld'))
    const found = await listServerBinaries({ searchPath: folder, folders: [] })
    expect(found).toHaveLength(1)
    expect(found[0]?.engine.name).toBe('mariadb')
  })

  test('identifies Oracle MySQL', async () => {
    await fakeServer('mysqld', 'mysqld  Ver 8.0.36 for Linux on x86_64 (MySQL Community Server - GPL)')
    expect((await findServerBinary({ searchPath: folder, folders: [] })).engine.name).toBe('mysql')
  })

  test('skips executables that are not database servers', async () => {
    await fakeServer('mysqld', 'something else entirely')
    await expect(findServerBinary({ searchPath: folder, folders: [] })).rejects.toBeInstanceOf(ServerBinaryNotFoundError)
  })

  test('says how to install a server when none is found', async () => {
    const error = await findServerBinary({ searchPath: folder, folders: [] }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ServerBinaryNotFoundError)
    expect((error as Error).message).toMatch(/apt-get install -y mariadb-server/)
    expect((error as Error).message).toMatch(/DATABASE_URL/)
  })

  test('finds a tidb-server that tiup installed, the newest version first, and a pinned binary over it', async () => {
    const tiup = join(folder, 'tiup-home')
    for (const version of ['v7.5.1', 'v8.5.6', 'v8.1.0']) {
      const dir = join(tiup, 'components', 'tidb', version)
      await mkdir(dir, { recursive: true })
      await writeFile(join(dir, 'tidb-server'), `#!/bin/sh\necho 'Release Version: ${version}'\n`)
      await chmod(join(dir, 'tidb-server'), 0o755)
    }
    const found = await findServerBinary({ searchPath: join(folder, 'empty'), folders: [], tiupHome: tiup, engine: 'tidb' })
    expect(found.engine).toMatchObject({ name: 'tidb', version: '8.5.6' })
    expect(found.path).toBe(join(tiup, 'components', 'tidb', 'v8.5.6', 'tidb-server'))
    // Under engine auto, TiDB first: tiup's tidb-server over a MariaDB on PATH.
    await fakeServer('mariadbd', 'mariadbd  Ver 10.11.19-MariaDB for debian-linux-gnu')
    expect((await findServerBinary({ searchPath: folder, folders: [], tiupHome: tiup })).engine.name).toBe('tidb')
    const pinned = join(tiup, 'components', 'tidb', 'v7.5.1', 'tidb-server')
    expect((await findServerBinary({ explicit: pinned, tiupHome: tiup })).engine.version).toBe('7.5.1')
  })

  test('uses only the configured binary when server.binary is set', async () => {
    await fakeServer('mariadbd', 'mariadbd  Ver 10.11.19-MariaDB')
    const missing = join(folder, 'nope', 'mysqld')
    await expect(findServerBinary({ explicit: missing, searchPath: folder })).rejects.toThrow(/server.binary is set to .*nope\/mysqld/)
  })
})

describe('identifyBinary', () => {
  test('asks a binary once, and again only when the binary changes', async () => {
    const facts = new BinaryFacts(join(folder, 'facts.json'))
    const asked = join(folder, 'asked')
    const path = join(folder, 'mariadbd')
    await writeFile(path, `#!/bin/sh\necho x >> '${asked}'\necho 'mariadbd  Ver 10.11.19-MariaDB for debian-linux-gnu'\n`)
    await chmod(path, 0o755)
    const times = async () => (await readFile(asked, 'utf8').catch(() => '')).split('\n').filter(Boolean).length
    expect(await identifyBinary(path, facts)).toMatchObject({ name: 'mariadb', version: '10.11.19' })
    expect(await identifyBinary(path, facts)).toMatchObject({ name: 'mariadb', version: '10.11.19' })
    expect(await times()).toBe(1)
    await writeFile(path, `#!/bin/sh\necho x >> '${asked}'\necho 'mariadbd  Ver 11.4.2-MariaDB for debian-linux-gnu (upgraded)'\n`)
    expect(await identifyBinary(path, facts)).toMatchObject({ name: 'mariadb', version: '11.4.2' })
    expect(await times()).toBe(2)
  })
})
