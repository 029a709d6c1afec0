// Words that would tell an insider a record is planted. The generator redraws any value that
// contains one; tests keep their own list so they check the output, not this file.
const ENGLISH = ['test', 'testing', 'canary', 'demo', 'sample', 'fake', 'trap', 'dummy', 'bogus', 'honeypot', 'decoy'];
const ARABIC = ['تجربة', 'تجربه', 'تجريبي', 'تجريبية', 'اختبار', 'وهمي', 'وهمية', 'عينة', 'فخ', 'كناري', 'ديمو', 'مزيف', 'مزيفة'];

/** Arabic words may carry a clitic (و، ف، ب، ل، ال) in front; strip it before comparing. */
const ARABIC_CLITICS = /^(?:و|ف|ب|ل|ك)?(?:ال)?/u;

export function containsTellWord(text: string): boolean {
  const lower = text.toLowerCase();
  // Latin letters only, so an id like "TEST4821" or "AC-DEMO" is caught as well as plain words.
  for (const word of lower.split(/[^a-z]+/)) if (ENGLISH.includes(word)) return true;
  for (const word of lower.split(/[^\u0600-\u06ff]+/u)) {
    if (ARABIC.includes(word) || ARABIC.includes(word.replace(ARABIC_CLITICS, ''))) return true;
  }
  return false;
}
