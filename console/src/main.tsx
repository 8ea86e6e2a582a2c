import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { readSettings } from './shared/settings';
import './styles.css';

createRoot(document.getElementById('console')!).render(
  <StrictMode>
    <App settings={readSettings()} />
  </StrictMode>,
);
