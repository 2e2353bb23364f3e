import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App.tsx'
import './styles.css'

const root = document.getElementById('root')
if (root) {
  if (typeof window.tidings === 'object' && window.tidings !== null)
    createRoot(root).render(
      <StrictMode>
        <App api={window.tidings} />
      </StrictMode>,
    )
  else root.textContent = 'Tidings could not reach the app (no window.tidings bridge).'
}
