// Run by keyring-cipher.test.ts inside a private D-Bus session with gnome-keyring: seals with one
// cipher and opens with a fresh one (as a later run of tidings ui would), printing JSON.
import { keyringCipher } from '../../../src/main/store/keyring-cipher.ts'

const logs: string[] = []
const first = keyringCipher({ log: (message) => logs.push(message) })
const available = await first.isAvailable()
const sealed = available ? await first.encrypt('Bearer real-keyring') : ''
const opened = available ? (await keyringCipher().decrypt(sealed)).value : ''
console.log(JSON.stringify({ available, sealed, opened, logs }))
