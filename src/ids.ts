import { customAlphabet } from 'nanoid';

// Ids live only in the tracer's own store; nothing planted in a target ever carries one.
const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
const nano = customAlphabet(alphabet, 16);

const shortNano = customAlphabet(alphabet, 8);

/**
 * Time-ordered ids: a fixed-width base-36 millisecond timestamp, then randomness. New rows land at
 * the end of the primary-key index instead of on a random page, which keeps the webhook's
 * commits small; ids still sort by creation.
 */
export const newId = (prefix: 'ch' | 'cn' | 'num' | 'pl' | 'hit' | 'tok' | 'cp' | 'pty') =>
  `${prefix}_${Date.now().toString(36).padStart(9, '0')}${shortNano()}`;

/** Purely random ids, for values that must reveal nothing about when they were made. */
export const randomId = (prefix: string) => `${prefix}_${nano()}`;
