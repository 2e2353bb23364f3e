// The secret cipher backed by Electron's safeStorage, async API only (the sync one is
// deprecated in Electron 45). On Linux without a keyring safeStorage falls back to a hard-coded
// key ('basic_text'): that is not encryption, so it counts as unavailable.
import { safeStorage } from 'electron'
import type { SecretCipher } from '../store/secrets.ts'

export function safeStorageCipher(platform: NodeJS.Platform = process.platform): SecretCipher {
  return {
    async isAvailable() {
      if (!(await safeStorage.isAsyncEncryptionAvailable())) return false
      return platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text'
    },
    async encrypt(plain) {
      return (await safeStorage.encryptStringAsync(plain)).toString('base64')
    },
    async decrypt(sealed) {
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(
        Buffer.from(sealed, 'base64'),
      )
      return { value: result, reseal: shouldReEncrypt }
    },
  }
}
