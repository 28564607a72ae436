import { useEffect, useRef, useState } from 'react';
import Select from '@atlaskit/select';
import { token } from '@atlaskit/tokens';
import { api } from './api';
import { takesTemplate } from './template-draft';
import type { DestinationView, EventTypeInfo, PreviewTemplateInput, TemplatePreview } from './types';
import { Code, FormField, Subtle } from './ui';

/** Waits this long after the last keystroke before asking for a preview: one call per pause, not per key. */
export const PREVIEW_DEBOUNCE_MS = 400;

interface TypeOption {
  label: string;
  value: string;
}

/**
 * The payload template (custom webhooks) and the "Content sample": exactly the body a sample of one
 * subscribed event type would be sent with, with the template or without (the kind's own format). The
 * preview runs on the backend (webhooks.previewTemplate) under the same limits as delivery, so what it
 * shows is what the receiver gets, and a template that loops or grows too large fails here first.
 */
export function TemplateEditor(props: {
  destination: DestinationView;
  template: string;
  onChange: (template: string) => void;
  /** The draft's subscription: ['*'] for every type. */
  events: readonly string[];
  eventTypes: readonly EventTypeInfo[];
  /** What the last save answered for `template`. */
  error?: string;
}) {
  const { destination } = props;
  const editable = takesTemplate(destination);
  const subscribed = props.events.includes('*') ? props.eventTypes.map((info) => info.type) : props.events.filter((type) => props.eventTypes.some((info) => info.type === type));
  const options: TypeOption[] = (subscribed.length > 0 ? subscribed : ['issue.created']).map((type) => ({ label: type, value: type }));
  const [chosen, setChosen] = useState<string>(options[0]?.value ?? 'issue.created');
  const eventType = options.some((o) => o.value === chosen) ? chosen : (options[0]?.value ?? 'issue.created');
  const [preview, setPreview] = useState<TemplatePreview | undefined>();
  const [unavailable, setUnavailable] = useState<string | undefined>();
  const latest = useRef(0);
  const text = editable ? props.template : '';

  useEffect(() => {
    const request = ++latest.current;
    const timer = window.setTimeout(() => {
      void api
        .previewTemplate({ kind: destination.kind as PreviewTemplateInput['kind'], eventTypes: [eventType], ...(text.trim() === '' ? {} : { template: text }) })
        .then((result) => {
          // An answer to an older text is dropped: only the newest request may paint.
          if (request !== latest.current) return;
          if (result.ok) {
            setPreview(result.data.previews[0]);
            setUnavailable(undefined);
          } else {
            setPreview(undefined);
            setUnavailable(result.error.fields?.template ?? result.error.message);
          }
        });
    }, PREVIEW_DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [text, eventType, destination.kind]);

  const previewProblem = preview && !preview.ok ? preview.problem.message : unavailable;
  const error = editable ? (props.error ?? previewProblem) : undefined;
  return (
    <>
      {editable ? (
        <FormField
          id="wh-template"
          label="Payload template"
          error={error}
          helper={
            <>
              Optional. A JSONata expression over the event (<code>id</code>, <code>type</code>, <code>timestamp</code>, <code>data</code>); its result is the JSON body sent
              and signed. Leave it empty to send the default body.
            </>
          }
        >
          <textarea
            id="wh-template"
            value={props.template}
            onChange={(e) => props.onChange(e.currentTarget.value)}
            rows={6}
            spellCheck={false}
            autoCapitalize="off"
            autoCorrect="off"
            placeholder={'{ "summary": data.summary, "who": data.actor.displayName, "when": timestamp }'}
            style={{
              display: 'block',
              width: '100%',
              boxSizing: 'border-box',
              marginTop: token('space.050'),
              font: token('font.code'),
              color: token('color.text'),
              background: token('color.background.input'),
              border: `${token('border.width')} solid ${error ? token('color.border.danger') : token('color.border.input')}`,
              borderRadius: token('radius.small'),
              padding: token('space.100'),
              resize: 'vertical',
            }}
          />
        </FormField>
      ) : null}
      <FormField id="wh-template-sample-type" label="Sample event type" helper="The content sample shows a made-up event of this type.">
        <Select<TypeOption>
          inputId="wh-template-sample-type"
          options={options}
          value={options.find((o) => o.value === eventType)}
          onChange={(o) => o && setChosen(o.value)}
        />
      </FormField>
      <div style={{ marginTop: token('space.200') }} aria-live="polite">
        <p id="wh-template-sample-label" style={{ margin: `0 0 ${token('space.050')}`, font: token('font.heading.xsmall') }}>
          Content sample
        </p>
        {preview?.ok ? (
          <>
            <Code label="Content sample">{preview.pretty}</Code>
            <Subtle small>
              {preview.bytes.toLocaleString('en-US')} bytes, sent {preview.body === preview.pretty ? 'as shown' : 'as compact JSON'} and signed
              {editable && text.trim() !== '' ? ', as the template shapes it.' : ' (the default body).'}
            </Subtle>
          </>
        ) : (
          <Subtle small>{previewProblem ? 'No content sample: the template fails for this event type.' : 'Preparing the content sample…'}</Subtle>
        )}
      </div>
    </>
  );
}
