/**
 * Whether a host is an IP address in any spelling. WHATWG URL parses a host whose last label is a
 * number (decimal "2130706433", hex "0x7f000001" or "0x7f.1", octal "0177.0.0.1", short "127.1") as
 * IPv4, and other parsers (curl, older proxies) read those spellings the same way, so a host that ends
 * in a number is an address whatever it looks like. Brackets or colons mean IPv6, including
 * IPv4-mapped forms such as [::ffff:127.0.0.1].
 */
const NUMERIC_LABEL = /^(?:0x[0-9a-f]*|[0-9]+)$/i;

export function isIpLiteralHost(host: string): boolean {
  // NFKC folds full-width digits and dots ("１２７．０．０．１") the way IDNA mapping does.
  const text = safePercentDecode(host).normalize('NFKC').replace(/[\u3002\uff0e\uff61]/g, '.').toLowerCase();
  if (text.startsWith('[') || text.includes(':')) return true;
  const labels = text.split('.');
  if (labels.length > 1 && labels[labels.length - 1] === '') labels.pop();
  const last = labels[labels.length - 1] ?? '';
  return NUMERIC_LABEL.test(last);
}

/** WHATWG percent-decodes hosts ("%31%32%37.0.0.1" is 127.0.0.1); a malformed escape stays as typed. */
function safePercentDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The host exactly as typed, before any URL parser normalises it: what follows "scheme://" up to the
 * first "/", "\", "?" or "#", without userinfo and port. undefined when there is no authority.
 */
export function rawHostOf(rawUrl: string): string | undefined {
  const match = /^[a-z][a-z0-9+.-]*:[/\\]{2}([^/\\?#]*)/i.exec(rawUrl);
  if (!match) return undefined;
  const authority = match[1] ?? '';
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  if (hostPort.startsWith('[')) return hostPort.slice(0, hostPort.indexOf(']') + 1 || undefined);
  return hostPort.replace(/:[0-9]*$/, '');
}
