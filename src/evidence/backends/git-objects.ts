import { createHash, randomBytes } from 'node:crypto'
import { promises as fs } from 'node:fs'
import { join } from 'node:path'
import { deflateSync } from 'node:zlib'
import type { TreeEntry } from './git-exec.js'

export type ObjectFormat = 'sha1' | 'sha256'

/**
 * Writes git loose objects the way `git hash-object -w` does: the id is the hash of
 * "<type> <size>\0<content>", the file objects/<2>/<rest> holds that text zlib-compressed, and it
 * is created through a temporary file and link(2), so readers never see half an object. Doing
 * this in-process instead of spawning hash-object/mktree/commit-tree keeps an append at three
 * git processes (two cat-file reads and the update-ref compare-and-swap), whatever the log size.
 */
export class LooseObjectWriter {
  constructor(readonly objectsDir: string, readonly format: ObjectFormat) {}

  id(type: string, content: Buffer): string {
    const header = Buffer.from(`${type} ${content.length}\0`)
    return createHash(this.format).update(header).update(content).digest('hex')
  }

  async write(type: 'blob' | 'tree' | 'commit', content: Buffer): Promise<string> {
    const header = Buffer.from(`${type} ${content.length}\0`)
    const full = Buffer.concat([header, content])
    const id = createHash(this.format).update(full).digest('hex')
    const dir = join(this.objectsDir, id.slice(0, 2))
    const target = join(dir, id.slice(2))
    try {
      await fs.access(target)
      return id
    } catch {
      /* not there yet */
    }
    await fs.mkdir(dir, { recursive: true })
    const tmp = join(dir, `tmp_obj_cg_${process.pid}_${randomBytes(6).toString('hex')}`)
    await fs.writeFile(tmp, deflateSync(full), { mode: 0o444 })
    try {
      await fs.link(tmp, target)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    } finally {
      await fs.rm(tmp, { force: true })
    }
    return id
  }

  /** A tree object from entries, sorted the way git sorts them (directories compare as "name/"). */
  async writeTree(entries: Map<string, TreeEntry>): Promise<string> {
    const sorted = [...entries].sort(([a, ea], [b, eb]) => {
      const ka = Buffer.from(ea.type === 'tree' ? a + '/' : a)
      const kb = Buffer.from(eb.type === 'tree' ? b + '/' : b)
      return Buffer.compare(ka, kb)
    })
    const parts: Buffer[] = []
    for (const [name, e] of sorted) {
      if (!name || /[\0/]/.test(name)) throw new Error(`invalid tree entry name ${JSON.stringify(name)}`)
      const mode = e.type === 'tree' ? '40000' : e.mode
      parts.push(Buffer.from(`${mode} ${name}\0`), Buffer.from(e.sha, 'hex'))
    }
    return this.write('tree', Buffer.concat(parts))
  }

  async writeCommit(tree: string, parents: string[], message: string, identity: string, when: Date): Promise<string> {
    const seconds = Math.floor(when.getTime() / 1000)
    const lines = [`tree ${tree}`, ...parents.map((p) => `parent ${p}`), `author ${identity} ${seconds} +0000`, `committer ${identity} ${seconds} +0000`, '', message]
    return this.write('commit', Buffer.from(lines.join('\n')))
  }
}
