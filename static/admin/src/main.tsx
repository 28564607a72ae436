import '@atlaskit/css-reset';
import { createRoot } from 'react-dom/client';
import { view } from '@forge/bridge';
import { App } from './App';

// Follow Jira's light/dark theme; the page still renders (light tokens) if the host cannot theme it.
view.theme.enable().catch(() => undefined);

const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);
