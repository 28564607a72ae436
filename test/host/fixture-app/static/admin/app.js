document.getElementById('root').dataset.ready = String(Boolean(window.__bridge));
