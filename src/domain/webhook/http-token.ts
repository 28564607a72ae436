/** RFC 9110 section 5.6.2 token: the grammar of header names and auth schemes. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export const isHttpToken = (text: string): boolean => TOKEN.test(text);

/**
 * Printable ASCII, space and tab. fetch refuses header values with characters above U+00FF, and
 * CR/LF/NUL would let a value smuggle extra headers, so anything else is refused up front.
 */
const HEADER_TEXT = /^[\t\x20-\x7e]*$/;

export const isHeaderText = (text: string): boolean => HEADER_TEXT.test(text);

export const utf8Bytes = (text: string): number => new TextEncoder().encode(text).length;
