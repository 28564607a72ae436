/**
 * A webhook's origin (scheme, host, port) as WHATWG URL writes it ("https://siem.example.com:8443"), or
 * undefined when the text is not a URL with a host. Authorization, sensitive header values and the hidden
 * parts of a masked URL were given for one origin: they may only be sent there.
 */
export function originOf(raw: string): string | undefined {
  try {
    const origin = new URL(raw).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

/** Same scheme, host and port; a URL whose origin cannot be told is never the same as another. */
export function sameOrigin(a: string, b: string): boolean {
  const origin = originOf(a);
  return origin !== undefined && origin === originOf(b);
}
