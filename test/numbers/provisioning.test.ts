// Provisioning and cost on the simulated provider: what is bought, what it costs, what the budget refuses.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PartialProvisionError } from '../../src/numbers/provisioning.ts';
import { ProviderError } from '../../src/numbers/twilio/errors.ts';
import { provision } from './support/actions.ts';
import { numbersTestApp, type NumbersTestApp } from './support/app.ts';

let app: NumbersTestApp;
afterEach(async () => {
  await app?.dispose();
});

const stored = () => app.services.db.prepare('SELECT phone_number FROM canary_numbers ORDER BY created_at, phone_number').pluck().all();

describe('cost', () => {
  it('when numbers are held, then each shows its monthly price and the list gives the monthly total', async () => {
    app = numbersTestApp({ env: { NUMBER_PRICES: 'US:local:1.15:USD,SA:mobile:20:USD' } });
    await provision(app, { count: 2 });
    await provision(app, { country: 'SA', type: 'mobile', count: 1 });

    const { numbers, monthlyTotals } = app.services.numberService.list();

    expect(numbers.map((n) => [n.country, n.monthlyPrice, n.currency])).toEqual([['US', 1.15, 'USD'], ['US', 1.15, 'USD'], ['SA', 20, 'USD']]);
    expect(monthlyTotals).toEqual([{ currency: 'USD', amount: 22.3, unpriced: 0 }]);
  });

  it('when a released number no longer costs anything, then the total drops', async () => {
    app = numbersTestApp();
    const [n] = await provision(app, { count: 2 });

    await app.services.numberService.release(n!.id);

    expect(app.services.numberService.list().monthlyTotals).toEqual([{ currency: 'USD', amount: 1.15, unpriced: 0 }]);
  });

  it('when provisioning would go over NUMBERS_MONTHLY_BUDGET, then it is refused with a clear error and nothing is bought', async () => {
    app = numbersTestApp({ env: { NUMBERS_MONTHLY_BUDGET: '3' } });
    await provision(app, { count: 2 });
    const purchases = vi.spyOn(app.sim, 'purchase');

    const refused = provision(app, { count: 1 });

    await expect(refused).rejects.toMatchObject({
      code: 'over-budget', status: 409,
      message: expect.stringMatching(/monthly cost to 3\.45 USD, over NUMBERS_MONTHLY_BUDGET=3 .*nothing bought/),
    });
    expect(purchases).not.toHaveBeenCalled();
    expect(stored()).toHaveLength(2);
  });

  it('when no price is known and a budget is set, then provisioning is refused rather than guessed', async () => {
    app = numbersTestApp({ env: { NUMBERS_MONTHLY_BUDGET: '100', NUMBER_PRICES: 'SA:mobile:20:USD' } });

    await expect(provision(app, { count: 1 })).rejects.toMatchObject({ code: 'price-unknown', message: expect.stringContaining('nothing bought') });
    expect(stored()).toEqual([]);
  });
});

describe('provisioning', () => {
  it('when fewer numbers are available than asked for, then nothing is bought', async () => {
    app = numbersTestApp();

    await expect(provision(app, { count: 1, areaCode: '907' })).rejects.toMatchObject({
      code: 'not-enough-numbers', message: 'only 0 US local area code 907 number(s) are available, 1 asked for; nothing bought',
    });
    expect(await app.sim.listOwned()).toEqual([]);
  });

  it('when a purchase fails half-way through a batch, then exactly what was bought is recorded and the failure says why', async () => {
    app = numbersTestApp();
    const purchase = app.sim.purchase.bind(app.sim);
    vi.spyOn(app.sim, 'purchase')
      .mockImplementationOnce(purchase)
      .mockRejectedValueOnce(new ProviderError('number-unavailable', 'Buying +12025550101 failed: Twilio error 21422: PhoneNumber requested is not available', { providerCode: 21422 }));

    const failed = await provision(app, { count: 3 }).catch((e: unknown) => e);

    expect(failed).toBeInstanceOf(PartialProvisionError);
    const partial = failed as PartialProvisionError;
    expect(partial).toMatchObject({ code: 'number-unavailable', status: 409 });
    expect(partial.message).toMatch(/^bought 1 of 3 number\(s\) \(\+\d+\), then: .*Twilio error 21422/);
    expect(partial.provisioned.map((n) => n.phoneNumber)).toEqual(stored());
    expect((await app.sim.listOwned()).map((o) => o.phoneNumber)).toEqual(stored());
  });

  it('when the provider refuses the first purchase, then nothing is recorded and the error keeps the provider’s code', async () => {
    app = numbersTestApp();
    vi.spyOn(app.sim, 'purchase').mockRejectedValue(
      new ProviderError('bundle-required', 'Buying +12025550100 failed: Twilio error 21649: Bundle required', { providerCode: 21649 }),
    );

    await expect(provision(app, { count: 2 })).rejects.toMatchObject({ code: 'bundle-required', providerCode: 21649 });
    expect(stored()).toEqual([]);
  });

  it('when a number was held before, then it is never bought again', async () => {
    app = numbersTestApp({ env: { SIM_NUMBER_RANGES: 'US:+12025550100-+12025550101' } });
    const [first] = await provision(app, { count: 1 });
    await app.services.numberService.release(first!.id);

    const [second] = await provision(app, { count: 1 });

    expect(second!.phoneNumber).not.toBe(first!.phoneNumber);
    await expect(provision(app, { count: 1 })).rejects.toMatchObject({ code: 'not-enough-numbers' });
  });

  it('when the input is malformed, then it is refused naming the field', async () => {
    app = numbersTestApp();

    await expect(provision(app, { country: 'USA' })).rejects.toThrow(/country/);
    await expect(provision(app, { count: 0 })).rejects.toThrow(/count/);
    await expect(provision(app, { type: 'landline' })).rejects.toThrow(/type/);
  });
});
