import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { EngineSession } from './api/engineSession';
import { App } from './app/App';
import { applyTheme, resolveTheme, storedThemeSetting, systemPrefersDark } from './theme/theme';
import './styles/app.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element.');

// Paint with the last known theme before the engine answers, so a dark-theme user sees no white flash.
const theme = storedThemeSetting();
applyTheme(theme, resolveTheme(theme, systemPrefersDark()));

const session = new EngineSession();
void session.connect();

createRoot(root).render(
  <StrictMode>
    <App session={session} />
  </StrictMode>,
);
