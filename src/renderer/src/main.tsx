import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App.tsx'
import { createHttpApi } from './web/http-api.ts'
import './styles/tokens.css'
import './styles/base.css'

const root = document.getElementById('root')
if (root) {
  if (typeof window.tidings === 'object' && window.tidings !== null)
    // Electron: the preload's API.
    createRoot(root).render(
      <StrictMode>
        <App api={window.tidings} />
      </StrictMode>,
    )
  else if (location.protocol === 'http:' || location.protocol === 'https:') {
    // A browser, served by `tidings ui`: the same API over HTTP, at the same place.
    const { api, web } = createHttpApi()
    Object.defineProperty(window, 'tidings', { value: api, enumerable: false })
    createRoot(root).render(
      <StrictMode>
        <App api={api} web={web} />
      </StrictMode>,
    )
  } else root.textContent = 'Tidings could not reach the app (no window.tidings bridge).'
}
