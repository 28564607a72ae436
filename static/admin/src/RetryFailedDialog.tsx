import { useState } from 'react';
import Button from '@atlaskit/button/new';
import { Checkbox } from '@atlaskit/checkbox';
import Modal, { ModalBody, ModalFooter, ModalHeader, ModalTitle, ModalTransition } from '@atlaskit/modal-dialog';
import SectionMessage from '@atlaskit/section-message';
import Select from '@atlaskit/select';
import Textfield from '@atlaskit/textfield';
import { call } from './api';
import { fromLocalInputValue, pluralize, toLocalInputValue } from './format';
import { FormField, Stack, Subtle } from './ui';
import type { WebhookView } from './types';

const MAX_DAYS = 14;
/** Parts of one bulk retry the page asks for before it lets the admin go on by hand. */
const MAX_CALLS = 20;

interface Option {
  label: string;
  value: string;
}

/**
 * "Retry all failed" for a webhook and a time range (deliveries.recover with onlyFailed), or, with the
 * box ticked, the recovery after an outage that sends skipped deliveries too. Asks which webhook, so it
 * needs no filter first, and says how many deliveries it queued.
 */
export function RetryFailedDialog(props: {
  webhooks: WebhookView[];
  webhookId?: string;
  from?: string;
  to?: string;
  onClose: () => void;
  onQueued: () => void;
}) {
  const options: Option[] = props.webhooks.map((w) => ({ label: w.name, value: w.id }));
  const [webhookId, setWebhookId] = useState<string | undefined>(props.webhookId ?? (options.length === 1 ? options[0]!.value : undefined));
  const [from, setFrom] = useState(() => props.from ?? toLocalInputValue(new Date(Date.now() - 24 * 3600 * 1000)));
  const [to, setTo] = useState(props.to ?? '');
  const [withSkipped, setWithSkipped] = useState(false);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<{ webhook?: string; from?: string; to?: string }>({});
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  const submit = async () => {
    const since = fromLocalInputValue(from);
    const until = to ? fromLocalInputValue(to) : undefined;
    const problems = {
      ...(webhookId ? {} : { webhook: 'Choose the webhook whose deliveries to send again.' }),
      ...(since ? {} : { from: 'Enter a date and time.' }),
      ...(to && !until ? { to: 'Enter a date and time, or leave it empty for “now”.' } : {}),
    };
    setErrors(problems);
    if (!webhookId || !since || Object.keys(problems).length > 0) return;
    setBusy(true);
    setResult(null);
    // A long retry answers in parts (each call stays within Forge's limits): go on while it says so.
    let queued = 0;
    let cursor: string | undefined;
    let failure: string | undefined;
    for (let part = 0; part < MAX_CALLS; part += 1) {
      const answer = await call('deliveries.recover', {
        webhookId,
        since,
        ...(until ? { to: until } : {}),
        ...(withSkipped ? {} : { onlyFailed: true }),
        ...(cursor ? { cursor } : {}),
      });
      if (!answer.ok) {
        const fields = answer.error.fields ?? {};
        setErrors({ ...(fields['since'] ? { from: fields['since'] } : {}), ...(fields['to'] ? { to: fields['to'] } : {}) });
        failure = answer.error.message;
        break;
      }
      queued += answer.data.recovered;
      cursor = answer.data.nextCursor;
      if (!cursor) break;
    }
    setBusy(false);
    const text = `${pluralize(queued, 'delivery', 'deliveries')} queued again.`;
    if (failure) setResult({ ok: false, text: queued > 0 ? `${text} Then: ${failure}` : failure });
    else if (cursor) setResult({ ok: true, text: `${text} More remain: retry again to go on.` });
    else setResult({ ok: true, text: queued === 0 ? 'Nothing to send again: no failed deliveries in this range.' : text });
    if (queued > 0) props.onQueued();
  };

  return (
    <ModalTransition>
      <Modal onClose={props.onClose} label="Retry failed deliveries">
        <ModalHeader>
          <ModalTitle>Retry failed deliveries</ModalTitle>
        </ModalHeader>
        <ModalBody>
          <Stack gap="small">
            {result ? (
              <SectionMessage appearance={result.ok ? 'success' : 'error'}>
                <p role="status">{result.text}</p>
              </SectionMessage>
            ) : null}
            <Subtle>
              Sends every failed delivery of a webhook in a time range again, with the same message ids (receivers
              can drop what they already have). Test deliveries are not sent again. At most {MAX_DAYS} days back.
            </Subtle>
            <FormField id="retry-webhook" label="Webhook" required error={errors.webhook}>
              <Select<Option>
                inputId="retry-webhook"
                options={options}
                value={options.find((o) => o.value === webhookId) ?? null}
                onChange={(o) => setWebhookId(o?.value)}
                placeholder="Choose a webhook"
              />
            </FormField>
            <FormField id="retry-from" label="From" required error={errors.from}>
              <Textfield
                id="retry-from"
                type="datetime-local"
                min={toLocalInputValue(new Date(Date.now() - MAX_DAYS * 24 * 3600 * 1000))}
                max={toLocalInputValue(new Date())}
                value={from}
                onChange={(e) => setFrom(e.currentTarget.value)}
              />
            </FormField>
            <FormField id="retry-to" label="To" helper="Empty: up to now." error={errors.to}>
              <Textfield id="retry-to" type="datetime-local" value={to} onChange={(e) => setTo(e.currentTarget.value)} />
            </FormField>
            <Checkbox
              label="Also send skipped deliveries (recovery after an outage or a switched-off webhook)"
              isChecked={withSkipped}
              onChange={(e) => setWithSkipped(e.currentTarget.checked)}
            />
          </Stack>
        </ModalBody>
        <ModalFooter>
          <Button onClick={props.onClose}>{result?.ok ? 'Done' : 'Cancel'}</Button>
          <Button appearance="primary" isLoading={busy} onClick={() => void submit()}>
            Retry failed
          </Button>
        </ModalFooter>
      </Modal>
    </ModalTransition>
  );
}
