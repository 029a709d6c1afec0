// Check digits used by national IDs and by utilities' own numbering schemes.

/** True when the digit string passes the Luhn check over all of its digits. */
export function isLuhnValid(digits: string): boolean {
  return /^\d+$/.test(digits) && luhnSum(digits, false) % 10 === 0;
}

/** The Luhn check digit to append to `body` so that body+digit is Luhn-valid. */
export function luhnCheckDigit(body: string): string {
  return String((10 - (luhnSum(body, true) % 10)) % 10);
}

function luhnSum(digits: string, doubleRightmost: boolean): number {
  let sum = 0;
  let double = doubleRightmost;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = Number(digits[i]);
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum;
}

/**
 * Mod-11 check digit (weights 2..7 repeating from the right, as most billing systems use).
 * Returns undefined when the remainder would need a two-digit check ("10"): such bodies are
 * never issued, so callers draw another body.
 */
export function mod11CheckDigit(body: string): string | undefined {
  let sum = 0;
  let weight = 2;
  for (let i = body.length - 1; i >= 0; i--) {
    sum += Number(body[i]) * weight;
    weight = weight === 7 ? 2 : weight + 1;
  }
  const check = (11 - (sum % 11)) % 11;
  return check === 10 ? undefined : String(check);
}

export function isMod11Valid(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false;
  return mod11CheckDigit(digits.slice(0, -1)) === digits.slice(-1);
}
