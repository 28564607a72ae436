/** What every vendor checker reads and answers (one definition for all of them). */

/** A request as a receiver recorded it (receiver.ts ReceivedRequest, or any subset with these fields). */
export interface VendorRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface VendorCheck {
  /** What the vendor would refuse or misread, one sentence each; empty when the request is as documented. */
  problems: string[];
  /** The events the vendor would index, in order. */
  events: Array<{ id: string; type: string }>;
}

/** A request header by name, any case; repeated headers joined as HTTP does. */
export const headerOf = (request: Pick<VendorRequest, 'headers'>, name: string): string | undefined => {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
};

/** A credential in a problem shows its first 3 characters at most. */
export const hint = (value: string | undefined): string => (value === undefined ? 'none' : `"${value.slice(0, 3)}…" (${value.length} characters)`);
