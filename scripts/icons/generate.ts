// Renders every icon the app and its installers use from the one SVG source. Pure: returns the
// files' bytes, so the same code writes resources/ and checks that the committed copies match.
import { Resvg } from '@resvg/resvg-js'
import png2icons from 'png2icons'
import { encodeIco } from './ico.ts'
import { TRAY_STATES, sourceDefs, traySvg } from './tray.ts'

export interface IconFile {
  /** Path relative to the output folder, with forward slashes. */
  path: string
  bytes: Buffer
}

export const APP_ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const
/** resources/icon.png: the window and Linux app icon. */
export const WINDOW_ICON_SIZE = 512
/** Linux panels draw tray icons at 22 px. */
export const LINUX_TRAY_SIZE = 22
/** The macOS menu bar draws tray icons at 16 pt. */
export const MAC_TRAY_SIZE = 16
/** Windows tray sizes at 100, 125, 150 and 200 % display scaling. */
export const WINDOWS_TRAY_SIZES = [16, 20, 24, 32] as const

export function renderPng(svg: string, size: number): Buffer {
  // No text in the drawings, so no fonts: rendering depends on nothing outside the SVG.
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: size },
    font: { loadSystemFonts: false },
    logLevel: 'off',
  })
  const image = resvg.render()
  if (image.width !== size || image.height !== size) {
    throw new Error(`icon source must be square: rendered ${image.width}x${image.height}`)
  }
  return image.asPng()
}

function notNull(bytes: Buffer | null, what: string): Buffer {
  if (bytes === null) throw new Error(`png2icons could not create ${what}`)
  return bytes
}

export function renderIcons(sourceSvg: string): IconFile[] {
  const files: IconFile[] = []
  const appPng = new Map(APP_ICON_SIZES.map((size) => [size, renderPng(sourceSvg, size)]))
  const app = (size: number): Buffer => appPng.get(size as (typeof APP_ICON_SIZES)[number])!

  files.push({ path: 'icon.png', bytes: app(WINDOW_ICON_SIZE) })
  // electron-builder installs these into the Linux hicolor theme; it wants NxN.png names.
  for (const size of APP_ICON_SIZES)
    files.push({ path: `icons/${size}x${size}.png`, bytes: app(size) })
  png2icons.clearCache()
  // Plain bicubic: png2icons' BICUBIC2 overshoots at the bell's edges into stray pixels.
  // Small .ico entries as bitmaps, large as PNG: what Explorer shows best for an .exe.
  files.push({
    path: 'icon.ico',
    bytes: notNull(png2icons.createICO(app(256), png2icons.BICUBIC, 0, false, true), 'icon.ico'),
  })
  files.push({
    path: 'icon.icns',
    bytes: notNull(png2icons.createICNS(app(1024), png2icons.BICUBIC, 0), 'icon.icns'),
  })
  png2icons.clearCache()

  const defs = sourceDefs(sourceSvg)
  for (const state of TRAY_STATES) {
    const color = (size: number): Buffer => renderPng(traySvg(defs, state, 'color', size), size)
    const template = (size: number): Buffer =>
      renderPng(traySvg(defs, state, 'template', size), size)
    files.push({ path: `tray/tray-${state}.png`, bytes: color(LINUX_TRAY_SIZE) })
    files.push({ path: `tray/tray-${state}@2x.png`, bytes: color(LINUX_TRAY_SIZE * 2) })
    files.push({ path: `tray/tray-${state}Template.png`, bytes: template(MAC_TRAY_SIZE) })
    files.push({ path: `tray/tray-${state}Template@2x.png`, bytes: template(MAC_TRAY_SIZE * 2) })
    files.push({
      path: `tray/tray-${state}.ico`,
      bytes: encodeIco(WINDOWS_TRAY_SIZES.map((size) => ({ size, png: color(size) }))),
    })
  }
  return files
}
