// The case report's words in each language. The template is one; only these strings differ.
import { ACCESS_THRESHOLDS, type AccessPattern } from '../parties/access.ts';

export type Lang = 'en' | 'ar';

const en = {
  title: 'Case report', case: 'Case', status: 'Status', assignee: 'Assignee', generated: 'Produced',
  summary: 'Summary', method: 'Method', channels: 'Channels', parties: 'Parties', timeline: 'Timeline', chart: 'Contacts over time',
  notice: 'Regulator notice', custody: 'Chain of custody', notes: 'Investigator notes',
  verdict: 'Verdict', probability: 'Probability', channel: 'Channel', hits: 'Hits', canaries: 'Canaries', called: 'Called',
  firstContact: 'First contact (min)', reasons: 'Reasons', evidenceHits: 'Evidence hits', likelyParty: 'Most likely leak party',
  callersOf: 'Callers to canaries of', more: 'more', noCallerName: '(no caller name)',
  partyLinked: 'linked to this case', partyImplicated: 'implicated on this case\u2019s channels', partyId: 'Party', numbers: 'Numbers',
  callsSms: 'Calls / SMS', canariesReached: 'Canaries reached', ofThisCase: 'of this case\u2019s', inAll: 'in all', firstContactAt: 'First contact',
  accessPattern: 'Access pattern', channelsImplicated: 'Channels implicated', decodedParty: 'its leak party', alsoRang: 'rang too',
  noParties: 'No party is linked to this case or implicated on its channels.', notImplicated: 'not implicated on any channel so far',
  partySummary: 'canaries of this case reached', callsAnd: 'calls and', smsFirst: 'SMS, first contact', implicatedOn: 'implicated on',
  access: { live: 'live', 'same-day': 'same day', batch: 'batch', unknown: 'unknown' } as Record<string, string>,
  partyStatuses: { accepted: 'accepted', proposed: 'proposed' } as Record<string, string>,
  leaks: 'leaks', noLeak: 'No channel of this case is judged leaking or suspect on the evidence so far.',
  howSure: 'probability', canariesCalledOf: 'of its canaries were called after planting', firstWithin: 'first contact within',
  minutes: 'minutes', to: 'most likely to', howWeKnow: 'How we know',
  summaryIntro: 'This case covers', summaryCanaries: 'canaries and', summaryHits: 'calls or messages to them.',
  planting: 'Planted', firstContactItem: 'First contact', act: 'Investigator act', shown: 'shown', of: 'of',
  designs: 'Campaign designs', noCampaigns: 'No campaign is linked to this case; canaries were planted one by one.',
  baseline: 'Noise baseline', noControls: 'No control numbers in service yet, so the background rate is taken from burn-in and a prior.',
  controlRate: 'calls per number-day on control numbers over', numberDays: 'number-days', controls: 'control numbers',
  model: 'The model',
  modelText: 'Each channel leaks with a prior probability; a leaking channel hands its tickets to one outside party, which calls each canary exposed to it with a probability q after a delay. Everything else is background, at a rate measured on control numbers and during burn-in. For each channel the tracer weighs "this channel leaks to this caller" against "nothing leaks", using who called which canary and how soon after it was exposed; a caller who also rang numbers no leak could have given is weighed down, never ruled out. The calculation is exact and deterministic over every combination of up to the configured number of leaking channels.',
  modelFigures: 'Figures used', background: 'background', callBack: 'call-back probability', prior: 'prior', thresholds: 'thresholds (leaking / suspect / clean)',
  noticeIntro: 'Fields a person fills in where the tracer cannot know (tracer case update). Counts of real customers\u2019 records are taken from the target, counted, never listed.',
  whatHappened: 'What happened', foundAt: 'When it was found', notifyBy: 'Notify by (72 hours)', dataCategories: 'Categories of data',
  realRecordsExposed: 'Real customers\u2019 records exposed on this path', recordsCountSource: 'How that count was made', actionsTaken: 'What was done',
  numbersRetired: 'Canary numbers retired', canariesWithdrawn: 'Canaries withdrawn', vendorInformedAt: 'Vendor informed',
  regulatorNotifiedAt: 'Regulator notified', reference: 'Reference', notFilled: 'not filled in',
  headHash: 'Evidence log head hash', headSeq: 'at entry', manifest: 'Evidence manifest hash (SHA-256)', noBundle: 'not part of a bundle, and no bundle made yet', lastBundle: 'not part of a bundle; the last bundle, made',
  producedBy: 'Produced by', producedAt: 'Produced at', key: 'Signing key',
  verdicts: { leaking: 'LEAKING', suspect: 'SUSPECT', clean: 'CLEAN', undetermined: 'UNDETERMINED', 'no-data': 'NO DATA' } as Record<string, string>,
  statuses: { open: 'open', reported: 'reported', closed: 'closed' } as Record<string, string>,
};

const ar: typeof en = {
  title: 'تقرير القضية', case: 'القضية', status: 'الحالة', assignee: 'المكلّف', generated: 'أُعدّ في',
  summary: 'الملخص', method: 'المنهجية', channels: 'القنوات', parties: 'الأطراف', timeline: 'التسلسل الزمني', chart: 'الاتصالات عبر الزمن',
  notice: 'إشعار الجهة التنظيمية', custody: 'سلسلة الحيازة', notes: 'ملاحظات المحقق',
  verdict: 'الحكم', probability: 'الاحتمال', channel: 'القناة', hits: 'الاتصالات', canaries: 'الطُعوم', called: 'اتُّصل بها',
  firstContact: 'أول اتصال (دقيقة)', reasons: 'الأسباب', evidenceHits: 'اتصالات الدليل', likelyParty: 'الطرف المسرَّب إليه على الأرجح',
  callersOf: 'المتصلون بطُعوم', more: 'أخرى', noCallerName: '(بلا اسم متصل)',
  partyLinked: 'مرتبط بهذه القضية', partyImplicated: 'متورط في قنوات هذه القضية', partyId: 'الطرف', numbers: 'الأرقام',
  callsSms: 'المكالمات / الرسائل', canariesReached: 'الطُعوم التي وصل إليها', ofThisCase: 'من طُعوم هذه القضية', inAll: 'إجمالاً', firstContactAt: 'أول اتصال',
  accessPattern: 'نمط الوصول', channelsImplicated: 'القنوات المتورط فيها', decodedParty: 'طرف التسريب فيها', alsoRang: 'اتصل أيضاً',
  noParties: 'لا يوجد طرف مرتبط بهذه القضية أو متورط في قنواتها.', notImplicated: 'غير متورط في أي قناة حتى الآن',
  partySummary: 'من طُعوم هذه القضية وصل إليها', callsAnd: 'مكالمة و', smsFirst: 'رسالة، وأول اتصال في', implicatedOn: 'متورط في',
  access: { live: 'مباشر', 'same-day': 'في اليوم نفسه', batch: 'على دفعات', unknown: 'غير معروف' },
  partyStatuses: { accepted: 'مقبول', proposed: 'مقترح' },
  leaks: 'تُسرِّب', noLeak: 'لا توجد قناة في هذه القضية يُحكم عليها بالتسريب أو الاشتباه بناءً على الأدلة حتى الآن.',
  howSure: 'الاحتمال', canariesCalledOf: 'من طُعومها اتُّصل بها بعد زرعها', firstWithin: 'أول اتصال خلال',
  minutes: 'دقيقة', to: 'على الأرجح إلى', howWeKnow: 'كيف عرفنا',
  summaryIntro: 'تشمل هذه القضية', summaryCanaries: 'طُعماً و', summaryHits: 'اتصالاً أو رسالة إليها.',
  planting: 'زُرع', firstContactItem: 'أول اتصال', act: 'إجراء المحقق', shown: 'معروض', of: 'من',
  designs: 'تصاميم الحملات', noCampaigns: 'لا توجد حملة مرتبطة بهذه القضية؛ زُرعت الطُعوم واحداً واحداً.',
  baseline: 'خط أساس الضوضاء', noControls: 'لا توجد أرقام ضابطة في الخدمة بعد، لذا يؤخذ معدل الخلفية من فترة الإحماء ومن قيمة مسبقة.',
  controlRate: 'اتصال لكل رقم في اليوم على الأرقام الضابطة خلال', numberDays: 'رقم-يوم', controls: 'رقماً ضابطاً',
  model: 'النموذج',
  modelText: 'لكل قناة احتمال مسبق للتسريب؛ والقناة المسرِّبة تسلّم تذاكرها إلى طرف خارجي واحد يتصل بكل طُعم انكشف له باحتمال q بعد مهلة. وكل ما عدا ذلك خلفية، بمعدل يُقاس على الأرقام الضابطة وخلال فترة الإحماء. ولكل قناة يوازن المتتبّع بين فرضية «هذه القناة تسرّب إلى هذا المتصل» وفرضية «لا تسريب»، مستعملاً من اتصل بأي طُعم وبعد كم من انكشافه؛ والمتصل الذي اتصل أيضاً بأرقام لا يمكن أن يكون التسريب قد أعطاه إياها يُخفَّض وزنه ولا يُستبعد. والحساب دقيق وحتمي على كل تركيبة من القنوات المسرِّبة حتى العدد المضبوط.',
  modelFigures: 'الأرقام المستعملة', background: 'الخلفية', callBack: 'احتمال معاودة الاتصال', prior: 'الاحتمال المسبق', thresholds: 'العتبات (تسريب / اشتباه / سليم)',
  noticeIntro: 'حقول يملؤها شخص حيث لا يستطيع المتتبّع أن يعرف (tracer case update). أعداد سجلات العملاء الحقيقيين تؤخذ من النظام المستهدف عدّاً، ولا تُسرد أبداً.',
  whatHappened: 'ماذا حدث', foundAt: 'متى اكتُشف', notifyBy: 'الإشعار قبل (72 ساعة)', dataCategories: 'فئات البيانات',
  realRecordsExposed: 'سجلات العملاء الحقيقيين المكشوفة في هذا المسار', recordsCountSource: 'كيف أُجري هذا العدّ', actionsTaken: 'ما الذي اتُّخذ',
  numbersRetired: 'أرقام الطُعوم المُوقفة', canariesWithdrawn: 'الطُعوم المسحوبة', vendorInformedAt: 'إبلاغ المورّد',
  regulatorNotifiedAt: 'إشعار الجهة التنظيمية', reference: 'المرجع', notFilled: 'لم يُملأ',
  headHash: 'بصمة رأس سجل الأدلة', headSeq: 'عند القيد', manifest: 'بصمة بيان الأدلة (SHA-256)', noBundle: 'ليس جزءاً من حزمة، ولم تُعدّ حزمة بعد', lastBundle: 'ليس جزءاً من حزمة؛ آخر حزمة أُعدّت في',
  producedBy: 'أعدّه', producedAt: 'وقت الإعداد', key: 'مفتاح التوقيع',
  verdicts: { leaking: 'يُسرِّب', suspect: 'مشتبه', clean: 'سليم', undetermined: 'غير محسوم', 'no-data': 'لا بيانات' },
  statuses: { open: 'مفتوحة', reported: 'أُبلغ عنها', closed: 'مغلقة' },
};

export const reportText = (lang: Lang) => (lang === 'ar' ? ar : en);

const WEEKDAYS_AR: Record<string, string> = { Sunday: 'الأحد', Monday: 'الاثنين', Tuesday: 'الثلاثاء', Wednesday: 'الأربعاء', Thursday: 'الخميس', Friday: 'الجمعة', Saturday: 'السبت' };

/** An access pattern's words: the classifier's own in English, the same figures in Arabic. */
export function accessText(lang: Lang, a: AccessPattern): string {
  if (lang === 'en') return a.words;
  if (a.class === 'unknown' && a.contacts < ACCESS_THRESHOLDS.MIN_CONTACTS) return `${a.contacts} أول اتصال: أقل من أن يُعرف كيف تُبلغ التذاكر`;
  const parts = [`${a.withinHour} من ${a.contacts} أول اتصال خلال ساعة من الزرع، و${a.withinDay} خلال يوم`];
  if (a.minutes) parts.push(`الوسيط ${a.minutes.median} دقيقة`);
  if (a.clusterHour !== null) parts.push(`تتجمع بعد الساعة ${String(a.clusterHour).padStart(2, '0')}:00 (${a.timeZone}) أياً كان وقت الزرع`);
  if (a.clusterWeekday) parts.push(`تتجمع يوم ${WEEKDAYS_AR[a.clusterWeekday] ?? a.clusterWeekday}`);
  return parts.join('؛ ');
}
