// Installers for Linux (AppImage, deb), Windows (NSIS) and macOS (dmg), built by electron-builder
// from the electron-vite output in out/. `npm run dist` builds for the current OS; see README.
// The config is code so the app id comes from the same constant the app itself uses.
import type { Configuration } from 'electron-builder'
import { APP_ID, PRODUCT_NAME } from './src/shared/app-id.ts'

type Env = Record<string, string | undefined>

const DESCRIPTION =
  'Keeps Server-Sent Events feeds alive and turns their events into native notifications.'

/**
 * electron-builder notarizes when one of these credential sets is in the environment (see
 * `notarize` in its mac options); we say so explicitly so a build log shows which way it went.
 */
export function hasNotarizeCredentials(env: Env): boolean {
  const all = (...names: string[]): boolean => names.every((name) => Boolean(env[name]))
  return (
    all('APPLE_API_KEY', 'APPLE_API_KEY_ID', 'APPLE_API_ISSUER') ||
    all('APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID') ||
    all('APPLE_KEYCHAIN', 'APPLE_KEYCHAIN_PROFILE')
  )
}

/**
 * Electron fuses, flipped in the packaged binary (electron-builder runs @electron/fuses after
 * packing and before signing). A packaged Tidings is never a Node runtime and never takes Node
 * options or a debugger from outside; TIDINGS_DEBUG_BUILD=1 keeps `--inspect` for a debug package.
 */
export function electronFuses(env: Env): NonNullable<Configuration['electronFuses']> {
  return {
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: env['TIDINGS_DEBUG_BUILD'] === '1',
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    // Flipping fuses breaks an ad-hoc signature on Apple silicon; re-sign so an unsigned build runs.
    resetAdHocDarwinSignature: true,
  }
}

export function builderConfig(env: Env = process.env): Configuration {
  return {
    appId: APP_ID,
    productName: PRODUCT_NAME,
    copyright: 'Copyright © 2025 the Tidings authors',
    directories: { output: 'release/${version}', buildResources: 'build' },
    // Linux derives the window's WM_CLASS and the notifications' desktop-entry from this name.
    extraMetadata: { desktopName: 'tidings.desktop' },
    files: [
      'out/**/*',
      '!out/**/*.map',
      // The CLI needs Node, which a packaged app cannot be (runAsNode is off): it is not shipped.
      '!out/main/cli.js',
      'resources/icon.png',
      'resources/tray/**/*',
    ],
    // Icons are handed to the OS by path (tray, notifications), which cannot point into an asar:
    // the packaged app reads them from app.asar.unpacked/resources (src/main/index.ts).
    asarUnpack: ['resources/**'],
    electronFuses: electronFuses(env),
    // No native modules: nothing to rebuild for each arch.
    npmRebuild: false,
    artifactName: '${productName}-${version}-${os}-${arch}.${ext}',
    // Installers are uploaded by CI as artifacts; never published from here.
    publish: null,

    linux: {
      target: [
        { target: 'AppImage', arch: ['x64', 'arm64'] },
        { target: 'deb', arch: ['x64', 'arm64'] },
      ],
      icon: 'resources/icons',
      category: 'Network',
      synopsis: 'Native notifications from Server-Sent Events feeds',
      description: DESCRIPTION,
      maintainer: 'The Tidings authors <tidings@users.noreply.github.com>',
      syncDesktopName: true,
      desktop: {
        entry: {
          Comment: DESCRIPTION,
          Keywords: 'notifications;sse;events;feeds;tray;',
          'X-GNOME-UsesNotifications': 'true',
        },
      },
    },
    deb: { artifactName: '${name}_${version}_${arch}.${ext}' },

    win: {
      // NSIS only: a portable .exe has no Start-menu shortcut carrying the AppUserModelID,
      // and Windows shows no toasts for an app without one.
      target: [{ target: 'nsis', arch: ['x64', 'arm64'] }],
      icon: 'resources/icon.ico',
    },
    nsis: {
      // electron-builder stamps the shortcut with appId as its AppUserModelID (WinShell::SetLnkAUMI).
      createStartMenuShortcut: true,
      createDesktopShortcut: false,
      shortcutName: PRODUCT_NAME,
      oneClick: true,
      perMachine: false,
      runAfterFinish: true,
      deleteAppDataOnUninstall: false,
      // One installer per arch instead of one that carries both.
      buildUniversalInstaller: false,
      artifactName: '${productName}-Setup-${version}-${arch}.${ext}',
    },

    mac: {
      target: [{ target: 'dmg', arch: ['x64', 'arm64'] }],
      icon: 'resources/icon.icns',
      category: 'public.app-category.productivity',
      hardenedRuntime: true,
      entitlements: 'build/entitlements.mac.plist',
      entitlementsInherit: 'build/entitlements.mac.plist',
      notarize: hasNotarizeCredentials(env),
    },
  }
}

export default builderConfig()
