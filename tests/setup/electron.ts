import { vi } from 'vitest'

// The one fake of 'electron' for the app project; grown as the Electron layer grows.
vi.mock('electron', () => ({}))
