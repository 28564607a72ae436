import { invisibleCharacterProblem } from './invisible-characters';
import { NAME_MAX_CHARS } from './limits';

/** Problem with a webhook name already trimmed, or undefined. Names appear in Slack, logs and the admin page. */
export function nameProblem(name: string): string | undefined {
  if (name.length === 0) return 'Enter a name, e.g. "Splunk production".';
  if (name.length > NAME_MAX_CHARS) return `Shorten the name to at most ${NAME_MAX_CHARS} characters (it has ${name.length}).`;
  if (/[<>]/.test(name)) return 'Remove < and > from the name: names are shown in chat messages and must not carry markup.';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(name)) return 'Remove line breaks, tabs and control characters from the name.';
  return invisibleCharacterProblem(name, 'the name', 'so one name could look like another');
}

/** Names are unique ignoring case and Unicode compatibility forms ("Ｓplunk" equals "splunk"). */
export const nameKey = (name: string): string => name.trim().normalize('NFKC').toLowerCase();
