import { useCallback, useEffect, useState } from 'react';
import Spinner from '@atlaskit/spinner';
import Tabs, { Tab, TabList, TabPanel } from '@atlaskit/tabs';
import { token } from '@atlaskit/tokens';
import { api } from './api';
import { ApiErrorMessage, ForbiddenPage } from './ErrorStates';
import { WebhooksTab } from './WebhooksTab';
import { HealthBanner } from './HealthBanner';
import { DeliveryLog } from './DeliveryLog';
import { ActivityTab } from './Charts';
import { SettingsTab } from './SettingsTab';
import { SetAsideLog } from './SetAsideLog';
import { Heading, Stack, Subtle } from './ui';
import { useLeaveGuard } from './unsaved-changes';
import type { ApiError, DestinationView, EventTypeInfo, WebhookView } from './types';

type Load =
  | { state: 'loading' }
  | { state: 'failed'; error: ApiError }
  | { state: 'ready'; webhooks: WebhookView[]; eventTypes: EventTypeInfo[]; destinations: DestinationView[] };

const TAB_WEBHOOKS = 0;
const TAB_DELIVERIES = 1;
const TAB_ACTIVITY = 2;
const TAB_SET_ASIDE = 3;

export function App() {
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [tab, setTab] = useState(TAB_WEBHOOKS);
  const [deliveryFilter, setDeliveryFilter] = useState<string | undefined>(undefined);
  // A tab switch leaves the forms of the current tab: with unsaved changes it asks first.
  const leave = useLeaveGuard();

  const reload = useCallback(async () => {
    const result = await api.listWebhooks();
    setLoad(
      result.ok
        ? { state: 'ready', webhooks: result.data.webhooks, eventTypes: result.data.eventTypes, destinations: result.data.destinations ?? [] }
        : { state: 'failed', error: result.error },
    );
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);

  const showDeliveries = (webhookId: string) =>
    leave(() => {
      setDeliveryFilter(webhookId);
      setTab(TAB_DELIVERIES);
    });

  return (
    <main
      style={{
        padding: `${token('space.300')} ${token('space.400')}`,
        color: token('color.text'),
        background: token('elevation.surface'),
        minHeight: '100vh',
        boxSizing: 'border-box',
      }}
    >
      <Stack gap="large">
        <header>
          <Heading level={1}>Audit Webhooks</Heading>
          <p style={{ marginTop: token('space.100') }}>
            <Subtle>
              Send every audit-relevant change in this Jira site to Slack or your SIEM as signed webhooks. Every
              delivery is logged, retried until it succeeds, and can be replayed.
            </Subtle>
          </p>
        </header>
        {load.state === 'loading' ? (
          <div style={{ display: 'flex', justifyContent: 'center', padding: token('space.600') }}>
            <Spinner size="large" label="Loading Audit Webhooks" />
          </div>
        ) : load.state === 'failed' ? (
          load.error.code === 'FORBIDDEN' ? (
            <ForbiddenPage />
          ) : (
            <ApiErrorMessage
              error={load.error}
              onRetry={() => {
                setLoad({ state: 'loading' });
                void reload();
              }}
            />
          )
        ) : (
          <>
          <HealthBanner
            webhooks={load.webhooks}
            onChanged={reload}
            onShow={() => {
              leave(() => setTab(TAB_WEBHOOKS));
              document.querySelector('[data-testid^="webhooks-table"]')?.scrollIntoView({ block: 'start' });
            }}
          />
          <Tabs id="audit-webhooks-tabs" selected={tab} onChange={(index) => leave(() => setTab(index))}>
            <TabList>
              <Tab>Webhooks</Tab>
              <Tab>Delivery log</Tab>
              <Tab>Activity</Tab>
              <Tab>Set aside</Tab>
              <Tab>Settings</Tab>
            </TabList>
            <TabPanel>
              <div style={{ width: '100%', paddingTop: token('space.200') }}>
                <WebhooksTab
                  webhooks={load.webhooks}
                  eventTypes={load.eventTypes}
                  destinations={load.destinations}
                  onChanged={reload}
                  onShowDeliveries={showDeliveries}
                />
              </div>
            </TabPanel>
            <TabPanel>
              <div style={{ width: '100%', paddingTop: token('space.200') }}>
                {tab === TAB_DELIVERIES ? (
                  <DeliveryLog
                    webhooks={load.webhooks}
                    webhookId={deliveryFilter}
                    onWebhookIdChange={setDeliveryFilter}
                  />
                ) : null}
              </div>
            </TabPanel>
            <TabPanel>
              <div style={{ width: '100%', paddingTop: token('space.200') }}>
                {tab === TAB_ACTIVITY ? <ActivityTab webhooks={load.webhooks} /> : null}
              </div>
            </TabPanel>
            <TabPanel>
              <div style={{ width: '100%', paddingTop: token('space.200') }}>
                {tab === TAB_SET_ASIDE ? <SetAsideLog /> : null}
              </div>
            </TabPanel>
            <TabPanel>
              <div style={{ width: '100%', paddingTop: token('space.200') }}>
                <SettingsTab />
              </div>
            </TabPanel>
          </Tabs>
          </>
        )}
      </Stack>
    </main>
  );
}
