import '@atlaskit/css-reset';
import './select-contrast.css';
import { createRoot } from 'react-dom/client';
import { view } from '@forge/bridge';
import { setGlobalTheme } from '@atlaskit/tokens/set-global-theme';
import { App } from './App';
import { UnsavedChangesProvider } from './unsaved-changes';

/**
 * Inside Jira, view.theme.enable() makes the host apply the user's light/dark theme. Where no host
 * themes the page (the local Forge host), load Atlassian's themes ourselves and follow the OS setting,
 * so token() values always resolve.
 */
async function enableTheming(): Promise<void> {
  await view.theme.enable().catch(() => undefined);
  if (document.documentElement.hasAttribute('data-color-mode')) return;
  await setGlobalTheme({
    colorMode: 'auto',
    light: 'light',
    dark: 'dark',
    spacing: 'spacing',
    typography: 'typography',
    shape: 'shape',
  }).catch(() => undefined);
}

void enableTheming();

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <UnsavedChangesProvider>
      <App />
    </UnsavedChangesProvider>,
  );
