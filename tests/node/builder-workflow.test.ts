// The GitHub workflow cannot run here; this checks it asks for what the release process needs.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT, parseYaml } from './builder-support.ts'

interface Step {
  run?: string
  uses?: string
  with?: Record<string, string>
  if?: string
}
interface Job {
  'runs-on': string
  if?: string
  needs?: string[]
  strategy?: { matrix: { os?: string[]; include?: Array<{ os: string }> } }
  steps: Step[]
}
interface Workflow {
  on: { push: { tags: string[] }; pull_request: unknown }
  jobs: Record<string, Job>
}

const workflow = parseYaml(readFileSync(join(ROOT, '.github/workflows/ci.yml'), 'utf8')) as Workflow

const runs = (job: Job): string[] => job.steps.flatMap((step) => (step.run ? [step.run] : []))
const oses = (job: Job): string[] =>
  job.strategy?.matrix.os ?? job.strategy?.matrix.include?.map((entry) => entry.os) ?? []

describe('.github/workflows/ci.yml', () => {
  it('runs on every push and pull request, and on v* tags', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push'])
    expect(workflow.on.push.tags).toEqual(['v*'])
  })

  it('runs the whole suite on Linux, Windows and macOS with the Node of .nvmrc (24)', () => {
    const test = workflow.jobs['test']!
    expect(oses(test).sort()).toEqual(['macos-latest', 'ubuntu-latest', 'windows-latest'])
    const setup = test.steps.find((step) => step.uses?.startsWith('actions/setup-node@'))
    expect(setup?.with?.['node-version-file']).toBe('.nvmrc')
    expect(readFileSync(join(ROOT, '.nvmrc'), 'utf8').trim()).toBe('24')
    expect(runs(test)).toEqual(expect.arrayContaining(['npm ci', 'npm test']))
  })

  it('runs the Electron end-to-end tests under xvfb on Linux, after a build', () => {
    const e2e = workflow.jobs['e2e']!
    expect(e2e['runs-on']).toBe('ubuntu-latest')
    const commands = runs(e2e)
    const build = commands.indexOf('npm run build')
    const tests = commands.indexOf('xvfb-run -a npx vitest run --project e2e')
    expect(build).toBeGreaterThan(-1)
    expect(tests).toBeGreaterThan(build)
  })

  it('builds installers on each OS only for tags, after the tests, and uploads them', () => {
    const installers = workflow.jobs['installers']!
    expect(installers.if).toBe("startsWith(github.ref, 'refs/tags/v')")
    expect(installers.needs).toEqual(['test', 'e2e'])
    expect(oses(installers).sort()).toEqual(['macos-latest', 'ubuntu-latest', 'windows-latest'])
    expect(runs(installers)).toEqual(expect.arrayContaining(['npm ci', 'npm run dist']))
    // The fuses are read back from the signed executables, after the build.
    const commands = runs(installers)
    expect(commands.indexOf('node scripts/check-fuses.ts release')).toBeGreaterThan(
      commands.indexOf('npm run dist'),
    )
    const upload = installers.steps.find((step) =>
      step.uses?.startsWith('actions/upload-artifact@'),
    )
    const paths = upload?.with?.['path']?.split('\n').filter(Boolean) ?? []
    // Every installer format the builder config makes, from where it writes them.
    expect(paths).toEqual([
      'release/*/*.AppImage',
      'release/*/*.deb',
      'release/*/*.exe',
      'release/*/*.dmg',
    ])
    expect(upload?.with?.['if-no-files-found']).toBe('error')
  })
})
