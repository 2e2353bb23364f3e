// A Windows .ico container around PNG images. PNG entries load on every Windows since Vista and
// keep each size exactly as rendered (png2icons, by contrast, scales one input to a fixed set).

export interface IcoImage {
  size: number
  png: Buffer
}

const HEADER_BYTES = 6
const ENTRY_BYTES = 16

export function encodeIco(images: IcoImage[]): Buffer {
  if (images.length === 0) throw new Error('an .ico needs at least one image')
  const header = Buffer.alloc(HEADER_BYTES)
  header.writeUInt16LE(0, 0) // reserved
  header.writeUInt16LE(1, 2) // type: icon
  header.writeUInt16LE(images.length, 4)
  const entries = Buffer.alloc(ENTRY_BYTES * images.length)
  let offset = HEADER_BYTES + entries.length
  images.forEach(({ size, png }, index) => {
    if (!Number.isInteger(size) || size < 1 || size > 256) {
      throw new Error(`an .ico image must be 1..256 px, not ${size}`)
    }
    const at = index * ENTRY_BYTES
    entries.writeUInt8(size % 256, at) // width; 0 means 256
    entries.writeUInt8(size % 256, at + 1) // height
    entries.writeUInt8(0, at + 2) // palette size
    entries.writeUInt8(0, at + 3) // reserved
    entries.writeUInt16LE(1, at + 4) // colour planes
    entries.writeUInt16LE(32, at + 6) // bits per pixel
    entries.writeUInt32LE(png.length, at + 8)
    entries.writeUInt32LE(offset, at + 12)
    offset += png.length
  })
  return Buffer.concat([header, entries, ...images.map((image) => image.png)])
}
