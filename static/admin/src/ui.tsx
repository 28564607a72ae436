/** Layout pieces built on design tokens, so the page follows Jira's light and dark themes. */
import { useEffect, type CSSProperties, type ReactNode } from 'react';
import { ErrorMessage, HelperMessage, Label, RequiredAsterisk } from '@atlaskit/form';
import Spinner from '@atlaskit/spinner';
import { token } from '@atlaskit/tokens';

export const fieldErrorId = (id: string): string => `${id}-error`;

/**
 * Marks the control `id` invalid and points its aria-describedby at the error text. Done on the DOM
 * element because Textfield, Select and the rest each spell these props differently; ids the control set
 * itself (react-select's own descriptions) are kept.
 */
export function useFieldErrorAria(id: string, error: string | undefined): void {
  useEffect(() => {
    const control = document.getElementById(id);
    if (!control) return;
    const errorId = fieldErrorId(id);
    const others = (control.getAttribute('aria-describedby') ?? '').split(/\s+/).filter((part) => part !== '' && part !== errorId);
    if (error) {
      control.setAttribute('aria-invalid', 'true');
      control.setAttribute('aria-describedby', [...others, errorId].join(' '));
      control.dataset.errorAria = 'set';
    } else if (control.dataset.errorAria === 'set') {
      control.removeAttribute('aria-invalid');
      if (others.length > 0) control.setAttribute('aria-describedby', others.join(' '));
      else control.removeAttribute('aria-describedby');
      delete control.dataset.errorAria;
    }
  });
}

export function FormField(props: {
  id: string;
  label: string;
  helper?: ReactNode;
  error?: string;
  /** Shows Atlaskit's asterisk after the label (hidden from screen readers: the input says aria-required). */
  required?: boolean;
  children: ReactNode;
}) {
  useFieldErrorAria(props.id, props.error);
  return (
    <div style={{ marginTop: token('space.200') }}>
      <Label htmlFor={props.id}>{props.label}</Label>
      {/* Beside the label, not in it: the field's name stays its label alone (aria-required says the rest). */}
      {props.required ? <RequiredAsterisk /> : null}
      {props.children}
      {props.helper && !props.error ? <HelperMessage>{props.helper}</HelperMessage> : null}
      <FieldError id={props.id} error={props.error} />
    </div>
  );
}

/** Where a message's admin-facing part ends and the deployer's commands begin (src/domain/webhook/egress-message.ts). */
const DEPLOYER_DETAIL = 'For the person who deploys the app:';

/** A problem in words for the admin; commands meant for whoever deploys the app are folded under their own title. */
export function ProblemText(props: { message: string }) {
  const at = props.message.indexOf(DEPLOYER_DETAIL);
  if (at < 0) return <>{props.message}</>;
  const detail = props.message.slice(at + DEPLOYER_DETAIL.length).trim();
  return (
    <>
      {props.message.slice(0, at).trim()}
      <details style={{ marginTop: token('space.050') }}>
        <summary style={{ cursor: 'pointer', color: token('color.text') }}>For the person who deploys the app</summary>
        <span style={{ color: token('color.text') }}>{detail}</span>
      </details>
    </>
  );
}

/** A field's error from the API, for fields shown without a FormField (e.g. a saved Authorization). */
export function FieldError(props: { id: string; error?: string }) {
  return props.error ? (
    <div id={fieldErrorId(props.id)} data-field-error={props.id}>
      <ErrorMessage>
        <ProblemText message={props.error} />
      </ErrorMessage>
    </div>
  ) : null;
}

export function Stack(props: { gap?: 'small' | 'medium' | 'large'; children: ReactNode; style?: CSSProperties }) {
  const gap =
    props.gap === 'small' ? token('space.100') : props.gap === 'large' ? token('space.300') : token('space.200');
  return <div style={{ display: 'flex', flexDirection: 'column', gap, ...props.style }}>{props.children}</div>;
}

export function Inline(props: {
  gap?: 'small' | 'medium';
  align?: 'center' | 'start' | 'end';
  spread?: boolean;
  wrap?: boolean;
  children: ReactNode;
  style?: CSSProperties;
}) {
  return (
    <div
      style={{
        display: 'flex',
        flexWrap: props.wrap === false ? 'nowrap' : 'wrap',
        alignItems: props.align === 'start' ? 'flex-start' : props.align === 'end' ? 'flex-end' : 'center',
        justifyContent: props.spread ? 'space-between' : 'flex-start',
        gap: props.gap === 'small' ? token('space.050') : token('space.100'),
        ...props.style,
      }}
    >
      {props.children}
    </div>
  );
}

/** `size` sets the look apart from the level, so a section can be the h2 the outline needs at a small size. */
export function Heading(props: { level: 1 | 2 | 3; size?: 1 | 2 | 3; children: ReactNode; id?: string }) {
  const size = props.size ?? props.level;
  const font =
    size === 1
      ? token('font.heading.large')
      : size === 2
        ? token('font.heading.medium')
        : token('font.heading.xsmall');
  const style: CSSProperties = { font, color: token('color.text'), margin: 0 };
  if (props.level === 1) return <h1 id={props.id} style={style}>{props.children}</h1>;
  if (props.level === 2) return <h2 id={props.id} style={style}>{props.children}</h2>;
  return <h3 id={props.id} style={style}>{props.children}</h3>;
}

export function Subtle(props: { children: ReactNode; small?: boolean }) {
  return (
    <span style={{ color: token('color.text.subtle'), font: props.small ? token('font.body.small') : undefined }}>
      {props.children}
    </span>
  );
}

/**
 * Code or a body in a block that scrolls past `maxHeight`: it takes keyboard focus (a named region when
 * labelled) so a keyboard user can scroll it too (axe: scrollable-region-focusable).
 */
export function Code(props: { children: ReactNode; label?: string; maxHeight?: number }) {
  return (
    <pre
      role={props.label ? 'region' : undefined}
      aria-label={props.label}
      tabIndex={0}
      style={{
        font: token('font.code'),
        background: token('color.background.neutral'),
        color: token('color.text'),
        padding: token('space.100'),
        borderRadius: token('radius.small'),
        margin: 0,
        whiteSpace: 'pre-wrap',
        wordBreak: 'break-all',
        maxHeight: props.maxHeight ?? 320,
        overflow: 'auto',
      }}
    >
      {props.children}
    </pre>
  );
}

export function Panel(props: { children: ReactNode; style?: CSSProperties; label?: string }) {
  return (
    <section
      aria-label={props.label}
      style={{
        background: token('elevation.surface.raised'),
        boxShadow: token('elevation.shadow.raised'),
        borderRadius: token('radius.large'),
        padding: token('space.200'),
        ...props.style,
      }}
    >
      {props.children}
    </section>
  );
}

/** A large spinner in the middle of a tab while its data loads; `label` is what a screen reader says. */
export function Loading(props: { label: string }) {
  return (
    <div style={{ display: 'flex', justifyContent: 'center', padding: token('space.400') }}>
      <Spinner size="large" label={props.label} />
    </div>
  );
}

/** What a list shows when it has nothing to list: a title and a line on why or what to do. */
export function EmptyState(props: { title: ReactNode; children: ReactNode }) {
  return (
    <div style={{ padding: token('space.400'), textAlign: 'center' }}>
      <Heading level={3}>{props.title}</Heading>
      <p style={{ color: token('color.text.subtle') }}>{props.children}</p>
    </div>
  );
}
