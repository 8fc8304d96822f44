import { listingVisibilitySchema, pricingModelSchema } from '@mission-control/contracts';
import { FieldError } from '../../components/field-error';
import type { ListingField, ListingFieldErrors, ListingFieldValues, UsageUnit } from './listing-field-values';
import { pricingExplanations, pricingModelLabels, visibilityExplanations, visibilityLabels } from './marketplace-wording';

const usageUnitLabels: Record<UsageUnit, string> = {
  task: 'Each task done',
  'thousand-tokens': 'Each 1,000 model tokens',
  run: 'Each run',
};

/**
 * The fields a listing shares between publishing and editing. `idPrefix` keeps their ids apart
 * when two forms are on one page; errors sit under their fields.
 */
export function ListingFields({
  idPrefix,
  values,
  errors,
  onChange,
}: {
  idPrefix: string;
  values: ListingFieldValues;
  errors: ListingFieldErrors;
  onChange: (values: ListingFieldValues) => void;
}) {
  const set = <Key extends keyof ListingFieldValues>(key: Key, value: ListingFieldValues[Key]) => onChange({ ...values, [key]: value });
  const described = (field: ListingField) => ({
    'aria-invalid': Boolean(errors[field]),
    'aria-describedby': errors[field] ? `${idPrefix}-${field}-error` : undefined,
  });
  const priceLabel =
    values.pricingModel === 'subscription'
      ? 'Credits a month'
      : values.pricingModel === 'usage'
        ? 'Credits for each'
        : values.pricingModel === 'rental'
          ? 'Credits for the period'
          : 'Price in credits';

  return (
    <div className="flex min-w-0 flex-col gap-3">
      <div>
        <label className="brutal-label" htmlFor={`${idPrefix}-title`}>
          Title
        </label>
        <input
          id={`${idPrefix}-title`}
          className="brutal-input"
          value={values.title}
          maxLength={200}
          onChange={(event) => set('title', event.target.value)}
          {...described('title')}
        />
        <FieldError id={`${idPrefix}-title-error`} message={errors.title} />
      </div>
      <div>
        <label className="brutal-label" htmlFor={`${idPrefix}-summary`}>
          Summary
        </label>
        <input
          id={`${idPrefix}-summary`}
          className="brutal-input"
          value={values.summary}
          maxLength={400}
          placeholder="What it does, in a line"
          onChange={(event) => set('summary', event.target.value)}
          {...described('summary')}
        />
        <FieldError id={`${idPrefix}-summary-error`} message={errors.summary} />
      </div>
      <div>
        <label className="brutal-label" htmlFor={`${idPrefix}-description`}>
          Description (markdown, optional)
        </label>
        <textarea
          id={`${idPrefix}-description`}
          rows={6}
          className="brutal-input"
          value={values.description}
          placeholder="How it works, what it needs, what it is good and bad at"
          onChange={(event) => set('description', event.target.value)}
          {...described('description')}
        />
        <FieldError id={`${idPrefix}-description-error`} message={errors.description} />
      </div>
      <div className="grid min-w-0 grid-cols-1 gap-3 sm:grid-cols-2">
        <div className="min-w-0">
          <label className="brutal-label" htmlFor={`${idPrefix}-category`}>
            Category
          </label>
          <input
            id={`${idPrefix}-category`}
            className="brutal-input"
            value={values.category}
            maxLength={60}
            placeholder="research"
            onChange={(event) => set('category', event.target.value)}
            {...described('category')}
          />
          <FieldError id={`${idPrefix}-category-error`} message={errors.category} />
        </div>
        <div className="min-w-0">
          <label className="brutal-label" htmlFor={`${idPrefix}-tags`}>
            Tags (comma separated, optional)
          </label>
          <input
            id={`${idPrefix}-tags`}
            className="brutal-input"
            value={values.tags}
            placeholder="sources, summaries"
            onChange={(event) => set('tags', event.target.value)}
            {...described('tags')}
          />
          <FieldError id={`${idPrefix}-tags-error`} message={errors.tags} />
        </div>
      </div>
      <fieldset className="min-w-0">
        <legend className="brutal-label">Who can find it</legend>
        <div className="flex flex-col gap-1">
          {listingVisibilitySchema.options.map((visibility) => (
            <label key={visibility} className="flex min-w-0 items-start gap-2 text-sm">
              <input
                type="radio"
                name={`${idPrefix}-visibility`}
                value={visibility}
                checked={values.visibility === visibility}
                onChange={() => set('visibility', visibility)}
                className="mt-1 accent-[var(--color-signal)]"
              />
              <span className="min-w-0">
                <span className="font-bold">{visibilityLabels[visibility]}</span> — {visibilityExplanations[visibility]}
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="grid min-w-0 grid-cols-1 gap-3 sm:grid-cols-2">
        <div className="min-w-0">
          <label className="brutal-label" htmlFor={`${idPrefix}-pricing`}>
            Price
          </label>
          <select
            id={`${idPrefix}-pricing`}
            className="brutal-input"
            value={values.pricingModel}
            onChange={(event) => set('pricingModel', pricingModelSchema.parse(event.target.value))}
          >
            {pricingModelSchema.options.map((model) => (
              <option key={model} value={model}>
                {pricingModelLabels[model]}
              </option>
            ))}
          </select>
        </div>
        {values.pricingModel === 'usage' ? (
          <div className="min-w-0">
            <label className="brutal-label" htmlFor={`${idPrefix}-unit`}>
              Charged for
            </label>
            <select
              id={`${idPrefix}-unit`}
              className="brutal-input"
              value={values.usageUnit}
              onChange={(event) => set('usageUnit', event.target.value as UsageUnit)}
            >
              {(Object.keys(usageUnitLabels) as UsageUnit[]).map((unit) => (
                <option key={unit} value={unit}>
                  {usageUnitLabels[unit]}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        {values.pricingModel === 'rental' ? (
          <div className="min-w-0">
            <label className="brutal-label" htmlFor={`${idPrefix}-days`}>
              Days of access
            </label>
            <input
              id={`${idPrefix}-days`}
              className="brutal-input"
              inputMode="numeric"
              value={values.days}
              onChange={(event) => set('days', event.target.value)}
              {...described('days')}
            />
            <FieldError id={`${idPrefix}-days-error`} message={errors.days} />
          </div>
        ) : null}
        {values.pricingModel === 'free' ? null : (
          <div className="min-w-0">
            <label className="brutal-label" htmlFor={`${idPrefix}-price`}>
              {priceLabel}
            </label>
            <input
              id={`${idPrefix}-price`}
              className="brutal-input"
              inputMode="numeric"
              value={values.price}
              placeholder="500"
              onChange={(event) => set('price', event.target.value)}
              {...described('price')}
            />
            <FieldError id={`${idPrefix}-price-error`} message={errors.price} />
          </div>
        )}
      </div>
      {values.pricingModel === 'free' ? null : (
        <p className="border-2 border-dashed border-ink p-2 text-sm">{pricingExplanations[values.pricingModel]}</p>
      )}
    </div>
  );
}
