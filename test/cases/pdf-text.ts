// Reads a PDF's text back (pdfjs-dist), as a reader's copy-paste would see it.
export async function pdfText(pdf: Buffer): Promise<string> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false }).promise;
  let text = '';
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    text += content.items.map((it: any) => `${it.str}${it.hasEOL ? '\n' : ' '}`).join('');
  }
  await doc.destroy();
  return text;
}

/**
 * Arabic comes out of a PDF as presentation forms in visual order, a glyph or a few per text item,
 * so the order of letters within a word is not reliable. After NFKC, with spaces, tatweel, vowel
 * marks and the NULs some mark glyphs map to dropped, each word of the phrase must appear as a run of exactly its letters (in any order).
 */
export function hasArabic(text: string, phrase: string): boolean {
  const strip = (s: string) => s.normalize('NFKC').replace(/[\s\u0000-\u001f\u0640\u064b-\u065f\u0670]/g, '');
  const flat = [...strip(text)];
  const sorted = (a: string[]) => [...a].sort().join('');
  return phrase.split(/\s+/).every((word) => {
    const w = [...strip(word)];
    const want = sorted(w);
    for (let i = 0; i + w.length <= flat.length; i++) if (sorted(flat.slice(i, i + w.length)) === want) return true;
    return false;
  });
}
