// Readers for the icon containers, written from the formats' specs so the tests check the files
// independently of the code that wrote them.
import { inflateSync } from 'node:zlib'

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

export interface PngHeader {
  width: number
  height: number
  bitDepth: number
  colorType: number
}

/** The IHDR chunk, which the PNG spec requires to come first. */
export function readPngHeader(png: Buffer): PngHeader {
  if (!png.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG')
  if (png.toString('latin1', 12, 16) !== 'IHDR') throw new Error('PNG without IHDR first')
  return {
    width: png.readUInt32BE(16),
    height: png.readUInt32BE(20),
    bitDepth: png.readUInt8(24),
    colorType: png.readUInt8(25),
  }
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c
  const pa = Math.abs(p - a)
  const pb = Math.abs(p - b)
  const pc = Math.abs(p - c)
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c
}

/** RGBA pixels of an 8-bit RGBA, non-interlaced PNG (what resvg writes). */
export function decodeRgbaPng(png: Buffer): { width: number; height: number; rgba: Buffer } {
  const { width, height, bitDepth, colorType } = readPngHeader(png)
  if (bitDepth !== 8 || colorType !== 6 || png.readUInt8(28) !== 0) {
    throw new Error(`only 8-bit RGBA non-interlaced PNGs: depth ${bitDepth}, type ${colorType}`)
  }
  const idat: Buffer[] = []
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at)
    if (png.toString('latin1', at + 4, at + 8) === 'IDAT') {
      idat.push(png.subarray(at + 8, at + 8 + length))
    }
    at += 12 + length
  }
  const raw = inflateSync(Buffer.concat(idat))
  const stride = width * 4
  const rgba = Buffer.alloc(stride * height)
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1))
    for (let x = 0; x < stride; x++) {
      const left = x >= 4 ? rgba[y * stride + x - 4]! : 0
      const up = y > 0 ? rgba[(y - 1) * stride + x]! : 0
      const upLeft = x >= 4 && y > 0 ? rgba[(y - 1) * stride + x - 4]! : 0
      const predictor = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][filter]
      if (predictor === undefined) throw new Error(`bad PNG filter ${filter}`)
      rgba[y * stride + x] = (line[x]! + predictor) & 0xff
    }
  }
  return { width, height, rgba }
}

export interface IcoEntry {
  width: number
  height: number
  format: 'png' | 'bmp'
  data: Buffer
}

/** The images in a Windows .ico, with each image's own size (PNG IHDR or BITMAPINFOHEADER). */
export function readIco(ico: Buffer): IcoEntry[] {
  if (ico.readUInt16LE(0) !== 0 || ico.readUInt16LE(2) !== 1) throw new Error('not an .ico')
  const count = ico.readUInt16LE(4)
  return Array.from({ length: count }, (_, index) => {
    const entry = 6 + index * 16
    const size = ico.readUInt32LE(entry + 8)
    const offset = ico.readUInt32LE(entry + 12)
    const data = ico.subarray(offset, offset + size)
    if (data.length !== size) throw new Error(`.ico entry ${index} runs past the end`)
    const directoryWidth = ico.readUInt8(entry) || 256
    if (data.subarray(0, 8).equals(PNG_SIGNATURE)) {
      const { width, height } = readPngHeader(data)
      if (width !== directoryWidth) throw new Error(`.ico entry ${index}: directory disagrees`)
      return { width, height, format: 'png' as const, data }
    }
    // BITMAPINFOHEADER: the height counts the image and its AND mask.
    const width = data.readInt32LE(4)
    if (width !== directoryWidth) throw new Error(`.ico entry ${index}: directory disagrees`)
    return { width, height: data.readInt32LE(8) / 2, format: 'bmp' as const, data }
  })
}

/** The elements of an Apple .icns: four-character type and payload. */
export function readIcns(icns: Buffer): Map<string, Buffer> {
  if (icns.toString('latin1', 0, 4) !== 'icns') throw new Error('not an .icns')
  if (icns.readUInt32BE(4) !== icns.length) throw new Error('.icns length disagrees with its file')
  const elements = new Map<string, Buffer>()
  for (let at = 8; at < icns.length;) {
    const length = icns.readUInt32BE(at + 4)
    if (length < 8 || at + length > icns.length) throw new Error('.icns element out of bounds')
    elements.set(icns.toString('latin1', at, at + 4), icns.subarray(at + 8, at + length))
    at += length
  }
  return elements
}
