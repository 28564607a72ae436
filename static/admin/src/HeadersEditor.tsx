import Button from '@atlaskit/button/new';
import { Checkbox } from '@atlaskit/checkbox';
import Textfield from '@atlaskit/textfield';
import { token } from '@atlaskit/tokens';
import { FormField, Inline, Stack, Subtle } from './ui';
import type { HeaderRow } from './webhook-draft';

/** Extra request headers; a stored sensitive value is write-only, so its empty field keeps it. */
export function HeadersEditor(props: {
  rows: HeaderRow[];
  onChange: (rows: HeaderRow[]) => void;
  fieldError: (path: string) => string | undefined;
  listError?: string;
}) {
  const { rows, onChange } = props;
  const update = (index: number, patch: Partial<HeaderRow>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  return (
    <Stack gap="small">
      <p style={{ marginTop: token('space.100') }}>
        <Subtle small>
          Extra headers your receiver needs, such as a tenant or source id. Mark tokens as sensitive: their values
          are write-only and shown as •••.
        </Subtle>
      </p>
      {rows.map((row, index) => {
        const n = index + 1;
        const nameError = props.fieldError(`headers.${index}.name`) ?? props.fieldError(`headers.${index}`);
        const valueError = props.fieldError(`headers.${index}.value`);
        return (
          <Inline key={index} align="start" style={{ flexWrap: 'nowrap' }}>
            <div style={{ flex: '1 1 35%' }}>
              <FormField id={`wh-header-${index}-name`} label={`Header ${n} name`} error={nameError}>
                <Textfield id={`wh-header-${index}-name`} value={row.name} isInvalid={Boolean(nameError)} onChange={(e) => update(index, { name: e.currentTarget.value })} />
              </FormField>
            </div>
            <div style={{ flex: '1 1 45%' }}>
              <FormField id={`wh-header-${index}-value`} label={`Header ${n} value`} error={valueError}>
                <Textfield
                  id={`wh-header-${index}-value`}
                  type={row.sensitive ? 'password' : 'text'}
                  autoComplete="off"
                  value={row.value}
                  placeholder={row.storedSensitive ? '••• (unchanged)' : undefined}
                  isInvalid={Boolean(valueError)}
                  onChange={(e) => update(index, { value: e.currentTarget.value })}
                />
              </FormField>
            </div>
            <div style={{ flex: '0 0 auto', paddingTop: token('space.400') }}>
              <Checkbox
                name={`wh-header-${index}-sensitive`}
                label="Sensitive"
                aria-label={`Header ${n} sensitive`}
                isChecked={row.sensitive}
                onChange={(e) => update(index, { sensitive: e.currentTarget.checked })}
              />
            </div>
            <div style={{ flex: '0 0 auto', paddingTop: token('space.400') }}>
              <Button spacing="compact" appearance="subtle" onClick={() => onChange(rows.filter((_, i) => i !== index))}>
                Remove
              </Button>
            </div>
          </Inline>
        );
      })}
      {props.listError ? <span style={{ color: token('color.text.danger') }}>{props.listError}</span> : null}
      <div>
        <Button spacing="compact" onClick={() => onChange([...rows, { name: '', value: '', sensitive: false, storedSensitive: false }])}>
          Add header
        </Button>
      </div>
    </Stack>
  );
}
