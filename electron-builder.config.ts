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
 * A signing identity electron-builder will sign macOS builds with: a certificate (CSC_LINK, a file
 * or base64) or a keychain identity named by CSC_NAME.
 */
export function hasSigningIdentity(env: Env): boolean {
  return Boolean(env['CSC_LINK'] || env['CSC_NAME'])
}

/** Entitlements for a build signed with a Developer ID (hardened runtime: V8's JIT only). */
export const SIGNED_ENTITLEMENTS = 'build/entitlements.mac.plist'
/**
 * Entitlements for an ad hoc signed build. An ad hoc signature has no Team ID, so the hardened
 * runtime's library validation would refuse to load Electron's own frameworks and the app would
 * not start: these builds also disable library validation (electron-builder's advice for
 * `identity: '-'`).
 */
export const AD_HOC_ENTITLEMENTS = 'build/entitlements.mac.adhoc.plist'

/**
 * macOS signing. Without an identity the app is signed ad hoc ('-') rather than not at all: an
 * unsigned app gets no notifications (UserNotifications refuses them) and Apple silicon will not
 * run it. An ad hoc build cannot be notarized.
 */
export function macSigning(env: Env): NonNullable<Configuration['mac']> {
  if (hasSigningIdentity(env))
    return {
      entitlements: SIGNED_ENTITLEMENTS,
      entitlementsInherit: SIGNED_ENTITLEMENTS,
      notarize: hasNotarizeCredentials(env),
    }
  return {
    identity: '-',
    entitlements: AD_HOC_ENTITLEMENTS,
    entitlementsInherit: AD_HOC_ENTITLEMENTS,
    notarize: false,
  }
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
      // The OS keyring binding serves tidings ui (the CLI); the app seals with safeStorage.
      '!**/node_modules/@napi-rs/**',
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
      // Named explicitly: the deb's AppArmor profile (/etc/apparmor.d/tidings) is for
      // /opt/Tidings/tidings, the path this name and productName give.
      executableName: 'tidings',
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
    // Ubuntu 24.04+ forbids the unprivileged user namespaces Chromium's sandbox needs unless an
    // AppArmor profile allows them. electron-builder's own deb scripts install one (after-install)
    // and remove it (after-remove); we keep them, and tests/node/builder-config.test.ts pins what
    // they do. An AppImage cannot carry such a profile: see README, "Linux".
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
      ...macSigning(env),
    },
  }
}

export default builderConfig()
