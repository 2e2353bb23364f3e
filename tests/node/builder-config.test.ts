// The installer configuration, checked without packaging: Electron cannot be downloaded here, so a
// broken config must fail in this test rather than in a release build on CI.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { Configuration } from 'electron-builder'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  builderConfig,
  electronFuses,
  hasNotarizeCredentials,
  hasSigningIdentity,
} from '../../electron-builder.config.ts'
import { APP_ID, PRODUCT_NAME } from '../../src/shared/app-id.ts'
import {
  CONFIG_FILE,
  ROOT,
  builderFile,
  loadBuilderConfig,
  parsePlist,
  validateBuilderConfig,
} from './builder-support.ts'

interface TargetEntry {
  target: string
  arch?: string[]
}

/** `{ AppImage: ['x64', 'arm64'], ... }` from a platform's `target` list. */
function targetsOf(options: { target?: unknown } | null | undefined): Record<string, string[]> {
  const list = (options?.target ?? []) as TargetEntry[]
  return Object.fromEntries(list.map((entry) => [entry.target, entry.arch ?? []]))
}

/** An entitlements file as a plain object ({ key: true, … }). */
function plist(file: string | null | undefined): Record<string, unknown> {
  return parsePlist(readFileSync(join(ROOT, file ?? ''), 'utf8'))
}

let config: Configuration

beforeAll(async () => {
  config = await loadBuilderConfig()
})

describe('electron-builder configuration', () => {
  it('is what electron-builder loads from the config file, and passes its schema', async () => {
    expect(config.appId).toBe(APP_ID)
    await expect(validateBuilderConfig(config)).resolves.toBeUndefined()
  })

  it('is rejected by the same validator when an option is misspelt', async () => {
    const broken = { ...config, nsis: { ...config.nsis, createStartMenuShortcuts: true } }
    await expect(validateBuilderConfig(broken as Configuration)).rejects.toThrow(
      /Invalid configuration object/,
    )
  })

  it('uses the app id and name the app itself uses', () => {
    expect(APP_ID).toBe('app.tidings.desktop')
    expect(PRODUCT_NAME).toBe('Tidings')
    expect(config.appId).toBe(APP_ID)
    expect(config.productName).toBe(PRODUCT_NAME)
  })

  it('builds AppImage and deb for x64 and arm64 on Linux, with a desktop entry', () => {
    expect(targetsOf(config.linux)).toEqual({ AppImage: ['x64', 'arm64'], deb: ['x64', 'arm64'] })
    expect(config.linux?.icon).toBe('resources/icons')
    expect(config.linux?.category).toBe('Network')
    expect(config.linux?.desktop?.entry).toMatchObject({ 'X-GNOME-UsesNotifications': 'true' })
    expect(config.extraMetadata).toMatchObject({ desktopName: 'tidings.desktop' })
    expect(config.linux?.syncDesktopName).toBe(true)
  })

  it('installs an AppArmor profile with the deb so the sandbox works on Ubuntu 24.04+, and removes it', () => {
    // Our config keeps electron-builder's own deb scripts and profile (no override of them)…
    expect(config.deb).not.toHaveProperty('afterInstall')
    expect(config.deb).not.toHaveProperty('afterRemove')
    expect(config.deb).not.toHaveProperty('appArmorProfile')
    expect(config.linux).not.toHaveProperty('afterInstall')
    // …which, filled in as FpmTarget does for our names, do this (if a release stops, we must).
    const executable = config.linux?.executableName
    expect(executable).toBe('tidings')
    const fill = (template: string) =>
      readFileSync(builderFile(`templates/linux/${template}`), 'utf8')
        .replaceAll('${executable}', executable!)
        .replaceAll('${sanitizedProductName}', PRODUCT_NAME)
    const profile = fill('apparmor-profile.tpl')
    expect(profile).toContain('abi <abi/4.0>,')
    expect(profile).toMatch(
      /^profile "tidings" "\/opt\/Tidings\/tidings" flags=\(unconfined\) \{$/m,
    )
    expect(profile).toMatch(/^\s*userns,$/m)

    const install = fill('after-install.tpl')
    expect(install).toContain("APPARMOR_PROFILE_SOURCE='/opt/Tidings/resources/apparmor-profile'")
    expect(install).toContain("APPARMOR_PROFILE_TARGET='/etc/apparmor.d/tidings'")
    // Only where AppArmor runs and understands the profile (Ubuntu 22.04's lacks abi/4.0).
    expect(install).toMatch(/if apparmor_status --enabled/)
    expect(install).toMatch(
      /apparmor_parser --skip-kernel-load --debug "\$APPARMOR_PROFILE_SOURCE"/,
    )
    expect(install).toMatch(/cp -f "\$APPARMOR_PROFILE_SOURCE" "\$APPARMOR_PROFILE_TARGET"/)
    expect(install).toMatch(
      /apparmor_parser --replace --write-cache --skip-read-cache "\$APPARMOR_PROFILE_TARGET"/,
    )
    // Without user namespaces at all, the SUID helper instead.
    expect(install).toContain("chmod 4755 '/opt/Tidings/chrome-sandbox'")

    const remove = fill('after-remove.tpl')
    expect(remove).toContain("APPARMOR_PROFILE_DEST='/etc/apparmor.d/tidings'")
    expect(remove).toMatch(/apparmor_parser --remove "\$APPARMOR_PROFILE_DEST"/)
    expect(remove).toMatch(/rm -f "\$APPARMOR_PROFILE_DEST"/)

    // The profile ships inside the package, where the script looks for it.
    const fpm = readFileSync(builderFile('out/targets/FpmTarget.js'), 'utf8')
    expect(fpm).toMatch(
      /copyFile\)\(scripts\.appArmor, path\.join\(resourceDir, "apparmor-profile"\)\)/,
    )
    expect(fpm).toMatch(
      /"--after-install",\s*scripts\.afterInstall,\s*"--after-remove",\s*scripts\.afterRemove/,
    )
  })

  it('builds only NSIS installers for x64 and arm64 on Windows, with a Start-menu shortcut', () => {
    // No portable target: it makes no shortcut carrying the AppUserModelID, so no toasts.
    expect(targetsOf(config.win)).toEqual({ nsis: ['x64', 'arm64'] })
    expect(config.nsis?.createStartMenuShortcut).toBe(true)
    expect(config.nsis?.shortcutName).toBe(PRODUCT_NAME)
    expect(config.win?.icon).toBe('resources/icon.ico')
  })

  it('stamps the Start-menu shortcut with appId as its AppUserModelID (electron-builder NSIS)', () => {
    // The NSIS template this electron-builder uses; if a release stops doing this, we must.
    const installer = readFileSync(builderFile('templates/nsis/include/installer.nsh'), 'utf8')
    expect(installer).toContain('WinShell::SetLnkAUMI "$newStartMenuLink" "${APP_ID}"')
  })

  it('builds dmg for x64 and arm64 on macOS with the hardened runtime', () => {
    expect(targetsOf(config.mac)).toEqual({ dmg: ['x64', 'arm64'] })
    expect(config.mac?.icon).toBe('resources/icon.icns')
    expect(config.mac?.hardenedRuntime).toBe(true)
    const entitlements = readFileSync(join(ROOT, config.mac?.entitlements ?? ''), 'utf8')
    expect(entitlements).toContain('<key>com.apple.security.cs.allow-jit</key>')
  })

  it('signs macOS builds ad hoc when there is no identity: an unsigned app gets no notifications', async () => {
    const mac = builderConfig({}).mac
    expect(mac?.identity).toBe('-')
    // Under the hardened runtime an ad hoc app needs library validation off, or it cannot load
    // Electron's frameworks; the app and every helper are signed with the same entitlements.
    expect(mac?.entitlements).toBe('build/entitlements.mac.adhoc.plist')
    expect(mac?.entitlementsInherit).toBe(mac?.entitlements)
    const entitlements = plist(mac?.entitlements)
    expect(entitlements).toEqual({
      'com.apple.security.cs.allow-jit': true,
      'com.apple.security.cs.disable-library-validation': true,
    })
    // An ad hoc build cannot be notarized, whatever credentials are around.
    expect(
      builderConfig({ APPLE_ID: 'a@b.c', APPLE_APP_SPECIFIC_PASSWORD: 'p', APPLE_TEAM_ID: 't' }).mac
        ?.notarize,
    ).toBe(false)
    await expect(validateBuilderConfig(builderConfig({}))).resolves.toBeUndefined()
  })

  it('signs with the identity when CSC_LINK or CSC_NAME names one, keeping library validation on', async () => {
    for (const env of [{ CSC_LINK: 'cert.p12' }, { CSC_NAME: 'Tidings Authors (TEAM123)' }]) {
      const mac = builderConfig(env).mac
      expect(mac?.identity, JSON.stringify(env)).toBeUndefined()
      expect(mac?.entitlements).toBe('build/entitlements.mac.plist')
      expect(mac?.entitlementsInherit).toBe('build/entitlements.mac.plist')
      expect(plist(mac?.entitlements)).toEqual({ 'com.apple.security.cs.allow-jit': true })
      await expect(validateBuilderConfig(builderConfig(env))).resolves.toBeUndefined()
    }
    // The workflow passes an empty CSC_LINK when the repository has no certificate.
    expect(hasSigningIdentity({ CSC_LINK: '' })).toBe(false)
  })

  it('points every platform icon at a file the icon script commits', () => {
    for (const icon of [config.mac?.icon, config.win?.icon]) {
      expect(statSync(join(ROOT, icon ?? '')).size).toBeGreaterThan(1000)
    }
    for (const size of [16, 32, 48, 64, 128, 256, 512, 1024]) {
      expect(existsSync(join(ROOT, `resources/icons/${size}x${size}.png`))).toBe(true)
    }
  })

  it('flips the fuses that turn a packaged app into a Node runtime or a debug target', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      resetAdHocDarwinSignature: true,
    })
  })

  it('keeps --inspect only in a debug package asked for by TIDINGS_DEBUG_BUILD=1', () => {
    expect(electronFuses({ TIDINGS_DEBUG_BUILD: '1' })).toMatchObject({
      enableNodeCliInspectArguments: true,
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
    })
    expect(electronFuses({ TIDINGS_DEBUG_BUILD: '0' }).enableNodeCliInspectArguments).toBe(false)
    expect(builderConfig({}).electronFuses?.enableNodeCliInspectArguments).toBe(false)
  })

  it('notarizes exactly when a complete set of Apple credentials is in the environment', () => {
    expect(hasNotarizeCredentials({})).toBe(false)
    expect(builderConfig({}).mac?.notarize).toBe(false)
    const sets = [
      { APPLE_API_KEY: 'k.p8', APPLE_API_KEY_ID: 'id', APPLE_API_ISSUER: 'issuer' },
      { APPLE_ID: 'a@b.c', APPLE_APP_SPECIFIC_PASSWORD: 'pw', APPLE_TEAM_ID: 'team' },
      { APPLE_KEYCHAIN: 'login', APPLE_KEYCHAIN_PROFILE: 'tidings' },
    ]
    for (const set of sets) {
      expect(builderConfig({ ...set, CSC_LINK: 'cert.p12' }).mac?.notarize).toBe(true)
      // One credential short is not enough, and an empty value is no credential.
      const [first] = Object.keys(set)
      expect(hasNotarizeCredentials({ ...set, [first!]: undefined })).toBe(false)
      expect(hasNotarizeCredentials({ ...set, [first!]: '' })).toBe(false)
    }
  })

  it('packs the electron-vite output and tray images, not sources, maps or the CLI', () => {
    expect(config.files).toEqual([
      {
        filter: [
          'out/**/*',
          '!out/**/*.map',
          '!out/main/cli.js',
          '!**/node_modules/@napi-rs/**',
          'resources/icon.png',
          'resources/tray/**/*',
        ],
      },
    ])
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string }
    expect(pkg.main).toBe('./out/main/index.js')
    expect(config.asarUnpack).toEqual(['resources/**'])
  })

  it('leaves out a CLI entry that no app code imports (else the packaged app would not start)', () => {
    const sources = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const path = join(dir, entry.name)
        if (entry.isDirectory()) return sources(path)
        return /(?<!\.test)\.tsx?$/.test(entry.name) ? [path] : []
      })
    const cliCode = join(ROOT, 'src/main/cli')
    const appSources = [
      ...sources(join(ROOT, 'src/main')),
      ...sources(join(ROOT, 'src/preload')),
    ].filter((file) => !file.startsWith(cliCode))
    expect(appSources.length).toBeGreaterThan(1)
    const importers = appSources.filter((file) =>
      /from\s+['"](?:\.\/|\.\.\/)+(?:main\/)?cli(?:\.ts)?['"]/.test(readFileSync(file, 'utf8')),
    )
    expect(importers.map((file) => relative(ROOT, file))).toEqual([])
  })

  it('never publishes, and writes installers to release/', () => {
    expect(config.publish).toBeNull()
    expect(config.directories?.output).toBe('release/${version}')
  })

  it('has npm scripts that build first and then package for the right OS', () => {
    const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>
    }
    const builder = `electron-builder --config ${CONFIG_FILE} --publish never`
    expect(scripts['dist']).toBe(`npm run build && ${builder}`)
    expect(scripts['dist:linux']).toBe(`npm run build && ${builder} --linux`)
    expect(scripts['dist:win']).toBe(`npm run build && ${builder} --win`)
    expect(scripts['dist:mac']).toBe(`npm run build && ${builder} --mac`)
  })
})
