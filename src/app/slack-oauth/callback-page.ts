/** The small HTML page the web trigger answers in the admin's browser tab. Nothing of the request is echoed. */
const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

export interface CallbackPage {
  status: number;
  title: string;
  message: string;
}

export function renderCallbackPage(page: CallbackPage): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(page.title)} · Audit Webhooks for Jira</title>
<style>body{font:15px/1.5 -apple-system,'Segoe UI',Roboto,sans-serif;max-width:560px;margin:64px auto;padding:0 16px;color:#172b4d}h1{font-size:22px}</style>
</head><body><h1>${esc(page.title)}</h1><p>${esc(page.message)}</p></body></html>`;
}
