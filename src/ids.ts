import { customAlphabet } from 'nanoid';

// Ids live only in the tracer's own store; nothing planted in a target ever carries one.
const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
const nano = customAlphabet(alphabet, 16);

export const newId = (prefix: 'ch' | 'cn' | 'num' | 'pl' | 'hit' | 'tok') => `${prefix}_${nano()}`;
