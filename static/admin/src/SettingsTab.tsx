import { useCallback, useEffect, useState } from 'react';
import Button from '@atlaskit/button/new';
import SectionMessage from '@atlaskit/section-message';
import Textfield from '@atlaskit/textfield';
import Toggle from '@atlaskit/toggle';
import { token } from '@atlaskit/tokens';
import { api } from './api';
import { ApiErrorMessage } from './ErrorStates';
import { formatDateTime } from './format';
import { FormField, Heading, Inline, Loading, Panel, Stack, Subtle } from './ui';
import type { ApiError, UpdateSettingsInput, SettingsView } from './types';
import { useUnsavedChanges } from './unsaved-changes';

const DEFAULT_BACKFILL_DAYS = '7';

type Load = { state: 'loading' } | { state: 'failed'; error: ApiError } | { state: 'ready'; settings: SettingsView };

export function SettingsTab() {
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [days, setDays] = useState(DEFAULT_BACKFILL_DAYS);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ ok: boolean; text: string; conflict?: boolean } | null>(null);
  const [daysError, setDaysError] = useState<string | undefined>(undefined);
  // Days typed but not requested are a change: switching tab asks before dropping them.
  const [requestedDays, setRequestedDays] = useState(DEFAULT_BACKFILL_DAYS);
  useUnsavedChanges(days !== requestedDays, () => {
    setDays(requestedDays);
    setDaysError(undefined);
  });

  const refresh = useCallback(async () => {
    const result = await api.getSettings();
    setLoad(result.ok ? { state: 'ready', settings: result.data.settings } : { state: 'failed', error: result.error });
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  if (load.state === 'loading') {
    return <Loading label="Loading settings" />;
  }
  if (load.state === 'failed') return <ApiErrorMessage error={load.error} onRetry={() => void refresh()} />;
  const { settings } = load;

  const update = async (change: Omit<UpdateSettingsInput, 'version'>, success: string) => {
    setBusy(true);
    setNotice(null);
    setDaysError(undefined);
    const result = await api.updateSettings({ version: settings.version, ...change });
    setBusy(false);
    if (result.ok) {
      setLoad({ state: 'ready', settings: result.data.settings });
      if (change.backfillDays !== undefined) setRequestedDays(String(change.backfillDays));
      setNotice({ ok: true, text: success });
    } else {
      setDaysError(result.error.fields?.['backfillDays']);
      setNotice({ ok: false, text: result.error.message, conflict: result.error.code === 'CONFLICT' });
    }
  };

  const backfill = () => {
    const n = Number(days);
    if (!Number.isInteger(n) || n < 0 || n > 30) {
      setDaysError('Enter a whole number of days from 0 to 30.');
      return;
    }
    void update({ backfillDays: n }, `Backfill of the last ${n} days requested. Older audit records are read on the next polls.`);
  };

  return (
    <Stack gap="large">
      {notice ? (
        <SectionMessage
          appearance={notice.ok ? 'success' : 'error'}
          title={notice.conflict ? 'Someone else changed the settings' : undefined}
          actions={notice.conflict ? [<Button key="reload" onClick={() => void refresh()}>Reload</Button>] : undefined}
        >
          <p>{notice.text}</p>
        </SectionMessage>
      ) : null}
      <Panel label="Audit log poll">
        <Stack gap="small">
          <Heading level={2}>Audit log poll</Heading>
          <Subtle>
            Many admin changes (groups, permission schemes, workflows, global permissions) have no Jira event, and
            events from projects the app cannot see never arrive. The app reads Jira&apos;s audit log every few
            minutes to catch them.
          </Subtle>
          <Inline>
            <Toggle
              id="settings-poll-enabled"
              isChecked={settings.auditPoll.enabled}
              isDisabled={busy}
              onChange={() =>
                void update(
                  { auditPoll: { enabled: !settings.auditPoll.enabled } },
                  settings.auditPoll.enabled ? 'Audit log poll turned off.' : 'Audit log poll turned on.',
                )
              }
            />
            <label htmlFor="settings-poll-enabled">Poll the Jira audit log</label>
          </Inline>
          <dl style={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: `${token('space.050')} ${token('space.200')}`, margin: 0 }}>
            <dt>
              <Subtle>Last polled</Subtle>
            </dt>
            <dd style={{ margin: 0 }} data-testid="last-polled">
              {settings.auditPoll.lastPolledAt ? formatDateTime(settings.auditPoll.lastPolledAt, true) : 'Not yet'}
            </dd>
            <dt>
              <Subtle>App installed</Subtle>
            </dt>
            <dd style={{ margin: 0 }}>{formatDateTime(settings.installedAt)}</dd>
          </dl>
          {settings.auditPoll.lastError ? (
            <SectionMessage appearance="warning" title="The last poll failed">
              <p>{settings.auditPoll.lastError}</p>
              <p>The next poll tries again from the same point, so no record is skipped.</p>
            </SectionMessage>
          ) : null}
        </Stack>
      </Panel>
      <Panel label="Backfill">
        <Stack gap="small">
          <Heading level={2}>Backfill</Heading>
          <Subtle>
            Send audit records from before the app was installed, or re-read a period. Records already sent are not
            sent twice.
          </Subtle>
          <Inline align="end">
            <div style={{ width: 200 }}>
              <FormField id="settings-backfill-days" label="Backfill days" error={daysError} helper="0 to 30">
                <Textfield
                  id="settings-backfill-days"
                  type="number"
                  min={0}
                  max={30}
                  value={days}
                  isInvalid={Boolean(daysError)}
                  onChange={(e) => setDays(e.currentTarget.value)}
                />
              </FormField>
            </div>
            <div style={{ paddingBottom: daysError ? token('space.300') : token('space.300') }}>
              <Button appearance="primary" isLoading={busy} onClick={backfill}>
                Request backfill
              </Button>
            </div>
          </Inline>
        </Stack>
      </Panel>
    </Stack>
  );
}
