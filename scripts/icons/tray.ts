// Tray images are composed from the glyphs in the source SVG's <defs> (#bell, #mark-*, #cut-*),
// drawn on a 32-unit grid. A state mark is kept apart from the bell by a transparent gap.

export const TRAY_STATES = ['ok', 'reconnecting', 'failed', 'paused'] as const
export type TrayState = (typeof TRAY_STATES)[number]

/** `color` for Linux panels and the Windows taskbar; `template` for the macOS menu bar. */
export type TrayStyle = 'color' | 'template'

interface StateLook {
  mark: string | null
  cut: string | null
  glyph: string
  markColor: string
}

// Mid-tone colours read on dark and light panels alike; the shape of the mark, not only its
// colour, tells the states apart.
const BLUE = '#3b82f6'
const LOOKS: Record<TrayState, StateLook> = {
  ok: { mark: null, cut: null, glyph: BLUE, markColor: BLUE },
  reconnecting: { mark: 'mark-reconnecting', cut: 'cut-badge', glyph: BLUE, markColor: '#f59e0b' },
  failed: { mark: 'mark-failed', cut: 'cut-badge', glyph: BLUE, markColor: '#ef4444' },
  paused: { mark: 'mark-paused', cut: 'cut-paused', glyph: '#8b95a5', markColor: '#8b95a5' },
}

/** The source's <defs> block, which holds every glyph the tray images use. */
export function sourceDefs(sourceSvg: string): string {
  const withoutComments = sourceSvg.replace(/<!--[\s\S]*?-->/g, '')
  const defs = /<defs>([\s\S]*?)<\/defs>/.exec(withoutComments)?.[1]
  if (defs === undefined) throw new Error('icon source: no <defs> block with the tray glyphs')
  for (const id of [
    'bell',
    'cut-badge',
    'cut-paused',
    'mark-reconnecting',
    'mark-failed',
    'mark-paused',
  ]) {
    if (!defs.includes(`id="${id}"`)) throw new Error(`icon source: <defs> has no #${id}`)
  }
  return defs
}

/** An SVG document for one tray image, `size` pixels square. */
export function traySvg(defs: string, state: TrayState, style: TrayStyle, size: number): string {
  const look = LOOKS[state]
  // macOS template images carry only alpha: the menu bar tints them.
  const glyph = style === 'template' ? '#000000' : look.glyph
  const markColor = style === 'template' ? '#000000' : look.markColor
  const mask =
    look.cut === null
      ? ''
      : `<mask id="gap" maskUnits="userSpaceOnUse" x="0" y="0" width="32" height="32">` +
        `<rect width="32" height="32" fill="#ffffff"/><use href="#${look.cut}" fill="#000000"/></mask>`
  const bell = `<use href="#bell" fill="${glyph}"${look.cut === null ? '' : ' mask="url(#gap)"'}/>`
  const mark =
    look.mark === null
      ? ''
      : `<use href="#${look.mark}" fill="${markColor}" stroke="${markColor}"/>`
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ` +
    `width="${size}" height="${size}" viewBox="0 0 32 32">` +
    `<defs>${defs}${mask}</defs>${bell}${mark}</svg>`
  )
}
