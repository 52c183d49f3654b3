import { COUNTRY_CODES, STATES } from './countries';
import { SelectField, TextField, type FieldProps } from './forms';
import { countryName } from './format';

const COUNTRIES = COUNTRY_CODES.map((code) => ({ code, name: countryName(code) })).sort((a, b) => a.name.localeCompare(b.name));

type CompanyField = 'name' | 'street' | 'city' | 'zip' | 'country' | 'state' | 'phone';

interface CompanyForm {
  values: Record<CompanyField, string>;
  field(name: CompanyField): FieldProps;
  set(name: CompanyField, value: string): void;
}

/**
 * A company's name, address and phone, as registering a key into a new business account and the
 * business profile ask for them. Where the country's addresses need a state it is picked from a
 * list, elsewhere it may be typed; choosing another country clears it.
 */
export function CompanyFields({ form }: { form: CompanyForm }) {
  const states = STATES[form.values.country];
  return (
    <>
      <TextField label="Company name" autoComplete="organization" field={form.field('name')} />
      <TextField label="Street" autoComplete="street-address" field={form.field('street')} />
      <div className="row">
        <TextField label="City" autoComplete="address-level2" field={form.field('city')} />
        <TextField label="ZIP / postal code" autoComplete="postal-code" field={form.field('zip')} />
      </div>
      <div className="row">
        <SelectField label="Country" autoComplete="country" field={{ ...form.field('country'), onChange: (c) => (form.set('country', c), form.set('state', '')) }}>
          <option value="">Choose a country</option>
          {COUNTRIES.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </SelectField>
        {states ? (
          <SelectField label="State or province" autoComplete="address-level1" field={form.field('state')}>
            <option value="">Choose a state</option>
            {states.map(([code, name]) => (
              <option key={code} value={code}>
                {name}
              </option>
            ))}
          </SelectField>
        ) : (
          <TextField label="State or region (optional)" autoComplete="address-level1" field={form.field('state')} />
        )}
      </div>
      <TextField label="Phone" type="tel" autoComplete="tel" field={form.field('phone')} />
    </>
  );
}
