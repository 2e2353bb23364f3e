// The committed icons: exactly what scripts/icons.ts renders from resources/icon.svg, at the sizes
// each platform asks for, read back from the files' own headers.
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ICON_SOURCE, RESOURCES_DIR, generateIcons, staleIcons } from '../../scripts/icons.ts'
import { sourceDefs } from '../../scripts/icons/tray.ts'
import { decodeRgbaPng, readIco, readIcns, readPngHeader } from './icon-formats.ts'

const STATES = ['ok', 'reconnecting', 'failed', 'paused'] as const
const APP_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024]

/** Tray image names the app references, with their pixel sizes. */
const TRAY_PNGS = STATES.flatMap((state) => [
  { file: `tray/tray-${state}.png`, size: 22 },
  { file: `tray/tray-${state}@2x.png`, size: 44 },
  { file: `tray/tray-${state}Template.png`, size: 16 },
  { file: `tray/tray-${state}Template@2x.png`, size: 32 },
])

// resvg's rasteriser takes different SIMD paths on other CPUs; the reference output is the one
// made on Linux x64, which is where the committed files are made and CI's Linux job runs.
const REFERENCE_PLATFORM = process.platform === 'linux' && process.arch === 'x64'

const committed = (path: string): Promise<Buffer> => readFile(join(RESOURCES_DIR, path))

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(join(dir, prefix), { withFileTypes: true })
  const nested = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory()
        ? listFiles(dir, join(prefix, entry.name))
        : Promise.resolve([join(prefix, entry.name).replaceAll('\\', '/')]),
    ),
  )
  return nested.flat().sort()
}

describe('icons rendered from resources/icon.svg', () => {
  let tmp: string
  let generated: string[]

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'tidings-icons-'))
    generated = (await generateIcons(join(tmp, 'out'))).map((file) => file.path).sort()
  })

  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true })
  })

  it('commits exactly the files the script writes, and the source', async () => {
    expect(await listFiles(RESOURCES_DIR)).toEqual([...generated, 'icon.svg'].sort())
    expect(generated).toHaveLength(1 + APP_SIZES.length + 2 + STATES.length * 5)
  })

  it.skipIf(!REFERENCE_PLATFORM)(
    'commits them byte for byte as the script renders them',
    async () => {
      for (const path of generated) {
        const fresh = await readFile(join(tmp, 'out', path))
        expect((await committed(path)).equals(fresh), path).toBe(true)
      }
    },
  )

  it('renders the same pixels on any CPU, to within rounding', async () => {
    for (const path of generated.filter((file) => file.endsWith('.png'))) {
      const fresh = decodeRgbaPng(await readFile(join(tmp, 'out', path)))
      const old = decodeRgbaPng(await committed(path))
      expect([fresh.width, fresh.height], path).toEqual([old.width, old.height])
      let worst = 0
      for (let i = 0; i < old.rgba.length; i++) {
        worst = Math.max(worst, Math.abs(old.rgba[i]! - fresh.rgba[i]!))
      }
      expect(worst, path).toBeLessThanOrEqual(2)
    }
  })

  it('renders the same bytes twice in a row', async () => {
    const again = join(tmp, 'again')
    await generateIcons(again)
    for (const path of generated) {
      const first = await readFile(join(tmp, 'out', path))
      expect((await readFile(join(again, path))).equals(first), path).toBe(true)
    }
  })

  it('has the --check mode name a committed file that drifted, and only that one', async () => {
    const copy = join(tmp, 'copy')
    await cp(RESOURCES_DIR, copy, { recursive: true })
    await generateIcons(copy)
    expect(await staleIcons(copy)).toEqual([])
    await writeFile(join(copy, 'tray/tray-failed.png'), await committed('tray/tray-ok.png'))
    await rm(join(copy, 'icons/64x64.png'))
    expect(await staleIcons(copy)).toEqual(['icons/64x64.png', 'tray/tray-failed.png'])
  })

  it('says which glyph is missing when the source lacks one', async () => {
    const source = await readFile(ICON_SOURCE, 'utf8')
    expect(() => sourceDefs(source.replace('id="mark-failed"', 'id="mark-broken"'))).toThrow(
      'icon source: <defs> has no #mark-failed',
    )
    expect(() => sourceDefs('<svg/>')).toThrow('icon source: no <defs> block')
  })
})

describe('icon sizes, read from the files', () => {
  it('has app icon PNGs from 16 to 1024 px, named as electron-builder wants them', async () => {
    for (const size of APP_SIZES) {
      const header = readPngHeader(await committed(`icons/${size}x${size}.png`))
      expect([header.width, header.height], `${size}`).toEqual([size, size])
    }
    const window = readPngHeader(await committed('icon.png'))
    expect([window.width, window.height]).toEqual([512, 512])
  })

  it('has tray PNGs at 22/44 px for Linux and 16/32 px templates for macOS', async () => {
    for (const { file, size } of TRAY_PNGS) {
      const header = readPngHeader(await committed(file))
      expect([header.width, header.height], file).toEqual([size, size])
    }
  })

  it('draws macOS template images in black and alpha only', async () => {
    for (const { file } of TRAY_PNGS.filter((png) => png.file.includes('Template'))) {
      const { rgba } = decodeRgbaPng(await committed(file))
      const alphas = new Set<number>()
      for (let i = 0; i < rgba.length; i += 4) {
        expect(rgba[i]! | rgba[i + 1]! | rgba[i + 2]!, file).toBe(0)
        alphas.add(rgba[i + 3]!)
      }
      // A glyph: fully opaque strokes on a transparent ground.
      expect(alphas.has(0) && alphas.has(255), file).toBe(true)
    }
  })

  it('draws the Linux and Windows tray images in colour on a transparent ground', async () => {
    for (const state of STATES) {
      const { rgba } = decodeRgbaPng(await committed(`tray/tray-${state}.png`))
      expect(rgba[3], `${state} corner alpha`).toBe(0)
      let coloured = 0
      for (let i = 0; i < rgba.length; i += 4) {
        if (rgba[i + 3] === 255 && (rgba[i]! | rgba[i + 1]! | rgba[i + 2]!) !== 0) coloured++
      }
      expect(coloured, state).toBeGreaterThan(50)
    }
  })

  it('tells every tray state apart at every size', async () => {
    for (const suffix of ['.png', '@2x.png', 'Template.png', 'Template@2x.png', '.ico']) {
      const images = await Promise.all(
        STATES.map((state) => committed(`tray/tray-${state}${suffix}`)),
      )
      const distinct = new Set(images.map((image) => image.toString('base64')))
      expect(distinct.size, suffix).toBe(STATES.length)
    }
  })

  it('has a Windows tray .ico per state with 16, 20, 24 and 32 px images', async () => {
    for (const state of STATES) {
      const entries = readIco(await committed(`tray/tray-${state}.ico`))
      expect(
        entries.map((entry) => [entry.format, entry.width, entry.height]),
        state,
      ).toEqual([
        ['png', 16, 16],
        ['png', 20, 20],
        ['png', 24, 24],
        ['png', 32, 32],
      ])
    }
  })

  it('has a Windows app .ico from 16 to 256 px', async () => {
    const entries = readIco(await committed('icon.ico'))
    const sizes = entries.map((entry) => entry.width).sort((a, b) => a - b)
    expect(sizes).toEqual([16, 24, 32, 48, 64, 72, 96, 128, 256])
    for (const entry of entries) expect(entry.height).toBe(entry.width)
    const big = entries.find((entry) => entry.width === 256)!
    expect(big.format).toBe('png')
  })

  it('has a macOS .icns with every size up to 1024 px', async () => {
    const elements = readIcns(await committed('icon.icns'))
    const pngSizes: Record<string, number> = {
      ic11: 32,
      ic12: 64,
      ic07: 128,
      ic13: 256,
      ic08: 256,
      ic14: 512,
      ic09: 512,
      ic10: 1024,
    }
    for (const [type, size] of Object.entries(pngSizes)) {
      const element = elements.get(type)
      expect(element, type).toBeDefined()
      const header = readPngHeader(element!)
      expect([header.width, header.height], type).toEqual([size, size])
    }
  })
})
